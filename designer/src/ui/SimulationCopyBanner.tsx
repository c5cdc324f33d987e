import { api } from '../api.js';
import { simulationCopyWords } from '../model/simulation-copy-words.js';
import { useRetriedLoad } from './hooks/useRetriedLoad.js';
import { useLang } from './i18n.js';

/**
 * Over every view, on a server opened on a simulation's copy of the shop (GET /api/shop
 * `simulationCopy`): 这是模拟副本：不会发送任何消息，旅程不会继续. Nothing on the live shop, and
 * nothing while the shop cannot be read (the views say that themselves).
 */
export function SimulationCopyBanner() {
  const lang = useLang();
  const shop = useRetriedLoad(() => api.shop(), []);
  const words = simulationCopyWords(lang, shop.data?.simulationCopy, shop.data?.timezone);
  if (!words) return null;
  return (
    <div className="message simulation-copy-banner" role="status" data-testid="simulation-copy">
      {words}
    </div>
  );
}
