import { useEffect, useState } from 'react';
import { api } from '../../api.js';
import { smsSize } from '../../model/sms.js';
import type { DraftNode } from '../../model/types.js';
import { factLabel } from '../../model/words.js';
import type { Catalogue } from '../RuleBuilder.js';
import { useLang, useT } from '../i18n.js';

/**
 * Beside a send step's form: the variables a message can use (from the fact catalogue, in
 * words), the message rendered for a chosen customer exactly as the send step renders it, the
 * SMS length and number of parts, and a test send to the marketer's own address or phone
 * through the channel configured for the shop.
 */
/** `canEdit` false (read only): no inserting variables; the preview for a customer still works. */
export function MessagePanel({ node, catalogue, onInsert, canSend, canEdit = true }: { node: DraftNode; catalogue: Catalogue; onInsert: (placeholder: string) => void; canSend: boolean; canEdit?: boolean }) {
  const t = useT();
  const lang = useLang();
  const channel = String(node.channel ?? 'sms');
  const template = String(node.template ?? '');
  const subject = typeof node.subject === 'string' ? node.subject : undefined;
  // The preview fills {{link}} only when the step has a link target, as the send step does.
  const link = typeof node.link === 'string' && node.link.trim() ? node.link : null;
  const [customer, setCustomer] = useState('');
  const [preview, setPreview] = useState<{ body: string; subject: string | null; customer: { externalId: string; name: string } | null; linkAbsolute?: boolean; linkMissing?: boolean } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [to, setTo] = useState('');
  const [sent, setSent] = useState<{ ok: boolean; text: string } | null>(null);
  useEffect(() => {
    if (!template) return setPreview(null);
    const timer = setTimeout(() => {
      api
        .messagePreview({ channel, template, subject, customer: customer || undefined, link })
        .then((p) => {
          setPreview(p);
          setError(null);
        })
        .catch((e) => setError((e as Error).message));
    }, 300);
    return () => clearTimeout(timer);
  }, [channel, template, subject, customer, link]);
  const vars: [string, string][] = [
    ['{{customer.name}}', t('msg.var.name')],
    ['{{key}}', t('msg.var.key')],
    ['{{link}}', t('msg.var.link')],
    ['{{coupon.code}}', t('msg.var.couponCode')],
    ['{{coupon.amount}}', t('msg.var.couponAmount')],
    ['{{coupon.expires}}', t('msg.var.couponExpires')],
    ...catalogue.facts.map((f): [string, string] => [`{{facts.${f.name}}}`, factLabel(lang, f.name)]),
  ];
  const size = preview && channel === 'sms' ? smsSize(preview.body) : null;
  const send = async () => {
    setSent(null);
    try {
      const r = await api.testSend({ channel, template, subject, customer: customer || undefined, link, to });
      setSent({ ok: true, text: t('msg.testSent').replace('{to}', r.to) });
    } catch (e) {
      setSent({ ok: false, text: (e as Error).message });
    }
  };
  return (
    <div className="message-panel" data-testid="message-panel">
      <h4>{t('msg.vars')}</h4>
      <select
        value=""
        disabled={!canEdit}
        aria-label={t('msg.vars')}
        data-testid="message-vars"
        onChange={(e) => {
          if (e.target.value) onInsert(e.target.value);
        }}
      >
        <option value="">{t('msg.insertVar')}</option>
        {vars.map(([v, label]) => (
          <option key={v} value={v}>
            {label}
          </option>
        ))}
      </select>
      <h4>{t('msg.preview')}</h4>
      <div className="field">
        <input placeholder={t('msg.previewFor')} value={customer} onChange={(e) => setCustomer(e.target.value.trim())} data-testid="preview-customer" />
      </div>
      {error && <small className="error">{error}</small>}
      {preview && (
        <div className="message-preview" data-testid="message-preview">
          {preview.customer && (
            <small className="muted">
              {t('msg.previewAs')} <span data-content>{preview.customer.name || preview.customer.externalId}</span>
            </small>
          )}
          {preview.subject && (
            <div data-content>
              <b>{preview.subject}</b>
            </div>
          )}
          <div className="preview-body" data-content>
            {preview.body}
          </div>
        </div>
      )}
      {preview?.linkMissing && (
        <small className="error" data-testid="link-missing">
          {t('msg.linkMissing')}
        </small>
      )}
      {preview && !preview.linkMissing && preview.linkAbsolute === false && /\{\{\s*link\s*\}\}/.test(template) && (
        <small className="note" data-testid="link-relative">
          {t('msg.linkRelative')} <code>rules/channels.yaml: publicBaseUrl</code>
        </small>
      )}
      {size && (
        <small className={size.parts > 1 ? 'note' : 'help'} data-testid="sms-size">
          {t('msg.smsSize').replace('{n}', String(size.length)).replace('{parts}', String(size.parts)).replace('{left}', String(size.left))}
        </small>
      )}
      <h4>{t('msg.test')}</h4>
      <div className="test-send">
        <input placeholder={channel === 'email' ? t('msg.testEmail') : t('msg.testPhone')} value={to} onChange={(e) => setTo(e.target.value.trim())} data-testid="test-to" />
        <button type="button" onClick={send} disabled={!canSend || !to || !template} data-testid="test-send">
          {t('msg.testSend')}
        </button>
      </div>
      {sent && (
        <small className={sent.ok ? 'help' : 'error'} data-testid="test-result">
          {sent.text}
        </small>
      )}
    </div>
  );
}
