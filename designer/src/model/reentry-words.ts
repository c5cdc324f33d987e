import type { Lang } from './i18n.js';
import { journeyKeyParts } from './journey-key-words.js';
import { effectiveKey } from './trigger-key.js';

/**
 * Who goes through the journey how often, as the engine decides it (server/src/core/engine/
 * entry-policy.ts mayEnter): a journey already running with the same key never starts twice; the
 * re-entry policy (absent: never, the schema's default) is judged per journey key when the entry
 * keys journeys (an order's second order_created is the same order; another order is a new
 * journey), per customer when it does not. Said in the publish dialog, one sentence per setting.
 */
export function reentryWords(lang: Lang, trigger: Record<string, unknown>, reentry: unknown, events: readonly { name: string; fields: Record<string, string> | null }[] = []): string | null {
  const zh = lang === 'zh';
  const r = (reentry ?? {}) as { policy?: unknown; days?: unknown };
  const policy = r.policy === 'after' || r.policy === 'always' ? r.policy : 'never';
  const days = typeof r.days === 'number' ? r.days : null;
  if (trigger.type === 'audience') return null; // one run: nobody is asked in twice
  // The key the engine uses: none when the trigger event never carries the key the file names.
  const key = effectiveKey(trigger, events);
  if (key) {
    const k = journeyKeyParts(lang, key);
    if (policy === 'never') return zh ? `按${k.name}区分旅程：同一位顾客的${k.each}各走一遍，${k.same}不会再走第二遍` : `One journey per ${k.name}: a customer goes through once for ${k.each}; ${k.same} never goes through again`;
    if (policy === 'after') return zh ? `按${k.name}区分旅程：同一位顾客的${k.each}各走一遍；${k.same}距上次进入满 ${days ?? '?'} 天后再次触发，会再走一遍` : `One journey per ${k.name}: a customer goes through once for ${k.each}; ${k.same}, triggered again ${days ?? '?'} days or more after it last entered, goes through again`;
    return zh ? `按${k.name}区分旅程：同一位顾客的${k.each}各走一遍；${k.same}的旅程结束后再次触发，会再走一遍（同时只走一段）` : `One journey per ${k.name}: a customer goes through once for ${k.each}; ${k.same}, triggered again after its journey ended, goes through again (never two at once)`;
  }
  const again = trigger.type === 'schedule' ? (zh ? '以后再次符合人群' : 'matching the segment again later') : zh ? '以后再次触发' : 'triggering it again later';
  if (policy === 'never') return zh ? `每位顾客只进入一次：${again}也不会再进入` : `Each customer enters once only: ${again} lets nobody in twice`;
  if (policy === 'after') return zh ? `每位顾客距上次进入满 ${days ?? '?'} 天后才能再次进入` : `A customer may enter again ${days ?? '?'} days or more after their last entry`;
  return zh ? `每次${trigger.type === 'schedule' ? '圈选' : '触发'}都可以再次进入（还在旅程中的顾客除外）` : `A customer enters every time${trigger.type === 'schedule' ? ' the segment is drawn' : ' it is triggered'} (unless still in the journey)`;
}
