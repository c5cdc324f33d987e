import { useState } from 'react';
import { api } from '../api.js';
import { errorText } from '../model/error-words.js';
import { productClicksSummary, productRows, type ProductRowWords } from '../model/product-clicks-words.js';
import { useLang, useT } from './i18n.js';

/**
 * For analysts, on a published send step: which products its recipients bought after the message,
 * each with how many buyers had clicked the link first, beside the step's clicks and how many
 * clickers paid (GET /api/flows/:id/nodes/:node/products), so a product clicked a lot and bought
 * little stands out. Read on request, as 按人群看响应 beside it: it reads every recipient's orders.
 */
export function ProductClicksPanel({ flowId, nodeId }: { flowId: string; nodeId: string }) {
  const t = useT();
  const lang = useLang();
  const [shown, setShown] = useState<{ summary: string; link: string | null; rows: ProductRowWords[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const read = async () => {
    setBusy(true);
    setProblem(null);
    try {
      const r = await api.productClicks(flowId, nodeId);
      setShown({ summary: productClicksSummary(lang, r), link: r.link, rows: productRows(lang, r) });
    } catch (e) {
      setShown(null); // an earlier read's figures beside the error would read as the current ones
      setProblem(errorText(lang, e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="group-response" data-testid="product-clicks">
      <h4>{t('products.title')}</h4>
      <div className="group-response-ask">
        <button type="button" onClick={() => void read()} disabled={busy} data-testid="product-clicks-read">
          {t('products.read')}
        </button>
      </div>
      <small className="help">{t('products.help')}</small>
      {problem && (
        <p className="error" role="alert" data-testid="product-clicks-problem">
          {problem}
        </p>
      )}
      {shown && (
        <>
          <p className="help" data-testid="product-clicks-summary">
            {shown.summary}
          </p>
          {shown.rows.length ? (
            <table className="exp-table" data-testid="product-clicks-table">
              <thead>
                <tr>
                  <th>{t('products.sku')}</th>
                  <th>{t('products.category')}</th>
                  <th>{t('products.clickers')}</th>
                  <th>{t('products.buyers')}</th>
                  <th>{t('products.clickedBuyers')}</th>
                  <th>{t('products.revenue')}</th>
                </tr>
              </thead>
              <tbody>
                {shown.rows.map((r) => (
                  <tr key={r.sku} data-testid={`product-clicks-${r.sku}`}>
                    <td data-content>{r.sku}</td>
                    <td data-content>{r.category}</td>
                    <td>{r.clickers}</td>
                    <td>{r.buyers}</td>
                    <td>{r.clickedBuyers}</td>
                    <td>{r.revenue}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <small className="help" data-testid="product-clicks-none">
              {t('products.none')}
            </small>
          )}
        </>
      )}
    </div>
  );
}
