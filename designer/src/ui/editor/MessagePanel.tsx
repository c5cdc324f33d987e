import { useEffect, useState } from 'react';
import { api, type MessagePreview } from '../../api.js';
import { couponSource } from '../../model/coupon-source.js';
import { errorWords, type ErrorWords } from '../../model/error-words.js';
import { smsSize } from '../../model/sms.js';
import type { DraftFlow, DraftNode } from '../../model/types.js';
import { factLabel } from '../../model/words.js';
import { journeyKeyOf, keyVariable } from '../../model/message-stand-ins.js';
import type { Catalogue } from '../RuleBuilder.js';
import { useLang, useT } from '../i18n.js';

/**
 * Beside a send step's form: the variables a message can use (from the fact catalogue, in
 * words), the message rendered for a chosen customer exactly as the send step renders it, the
 * SMS length and number of parts, and a test send to the marketer's own address or phone
 * through the channel configured for the shop.
 */
/** `canEdit` false (read only): no inserting variables; the preview for a customer still works. */
export function MessagePanel({ node, flow, catalogue, onInsert, canSend, canEdit = true }: { node: DraftNode; flow?: DraftFlow; catalogue: Catalogue; onInsert: (placeholder: string) => void; canSend: boolean; canEdit?: boolean }) {
  const t = useT();
  const lang = useLang();
  const channel = String(node.channel ?? 'sms');
  const template = String(node.template ?? '');
  const subject = typeof node.subject === 'string' ? node.subject : undefined;
  // The preview fills {{link}} only when the step has a link target, as the send step does.
  const link = typeof node.link === 'string' && node.link.trim() ? node.link : null;
  const [customer, setCustomer] = useState('');
  const [preview, setPreview] = useState<MessagePreview | null>(null);
  const [error, setError] = useState<ErrorWords | null>(null);
  const [to, setTo] = useState('');
  const [sent, setSent] = useState<({ ok: boolean } & ErrorWords) | null>(null);
  // The coupon customers get with this message (the step's own, or the one an earlier send issued):
  // the preview and the test send show one issued from it now, never a made-up coupon.
  const source = flow ? couponSource(flow, node.id) : node.coupon ? { spec: node.coupon, from: null } : null;
  const coupon = source?.spec ?? null;
  const couponKey = JSON.stringify(coupon);
  const fromLabel = source?.from ? (flow?.nodes.find((n) => n.id === source.from)?.label as string | undefined) || source.from : null;
  useEffect(() => {
    if (!template) return setPreview(null);
    const timer = setTimeout(() => {
      api
        .messagePreview({ channel, template, subject, customer: customer || undefined, coupon, link })
        .then((p) => {
          setPreview(p);
          setError(null);
        })
        .catch((e) => setError(errorWords(lang, e)));
    }, 300);
    return () => clearTimeout(timer);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the coupon by value (couponKey), not by identity
  }, [channel, template, subject, customer, couponKey, link, lang]);
  const vars: [string, string][] = [
    ['{{customer.name}}', t('msg.var.name')],
    ...(keyVariable(lang, journeyKeyOf(flow)) ? [keyVariable(lang, journeyKeyOf(flow))!] : []),
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
      const r = await api.testSend({ channel, template, subject, customer: customer || undefined, coupon, link, to });
      setSent({ ok: true, text: t('msg.testSent').replace('{to}', r.to) });
    } catch (e) {
      setSent({ ok: false, ...errorWords(lang, e) });
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
      {error && (
        <small className="error">
          {error.text} {error.code && <code>{error.code}</code>}
        </small>
      )}
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
      {preview?.coupon && (
        <small className="help" data-testid="preview-coupon">
          {t('msg.couponSample')
            .replace('{name}', preview.coupon.name ?? t('msg.couponOneOff'))
            .replace('{amount}', String(preview.coupon.amount))
            .replace('{threshold}', preview.coupon.minSpend > 0 ? t('msg.couponThreshold').replace('{n}', String(preview.coupon.minSpend)) : t('msg.couponNoThreshold'))
            .replace('{expires}', preview.coupon.expires)}{' '}
          <code>{preview.coupon.code}</code>
          {fromLabel && t('msg.couponFrom').replace('{step}', fromLabel)}
        </small>
      )}
      {preview?.couponMissing && (
        <small className="error" data-testid="preview-coupon-missing">
          {t('msg.couponMissing')}
        </small>
      )}
      {preview && !preview.linkMissing && preview.linkAbsolute === false && /\{\{\s*link\s*\}\}/.test(template) && (
        // Said for the marketer, who cannot set it; the setting's place is for the admin they ask, in the tooltip.
        <small className="note line" data-testid="link-relative" title="rules/channels.yaml: publicBaseUrl">
          {t('msg.linkRelative')}
        </small>
      )}
      {size && (
        <small className={size.parts > 1 ? 'note line' : 'help line'} data-testid="sms-size">
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
          {sent.text} {sent.code && <code>{sent.code}</code>}
        </small>
      )}
    </div>
  );
}
