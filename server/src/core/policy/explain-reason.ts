import type { ListTitles } from './list-title.js';

/**
 * Says in words why a send was held back, from the reason the policy logged (sends.reason,
 * journey_steps). A block list by its title where `listTitles` (read once by the caller) has one,
 * its name beside it — the name is what the CLI's commands take: on block list "差评顾客" (bad-reviews).
 */
export function explainReason(reason: string | null, listTitles: ListTitles = {}): string | null {
  if (!reason) return null;
  const [kind, a, b] = reason.split(':');
  switch (kind) {
    case 'capped':
      return `frequency cap "${a}" was full${b === 'expired' ? ' until after the send\'s window' : ''}`;
    case 'quiet-hours':
      return b === 'expired' ? `quiet hours for ${a}; the next allowed moment was past the send's window` : `quiet hours for ${a}: waits for the next allowed moment`;
    case 'no-consent':
      return `no marketing consent for ${a}`;
    case 'no-address':
      return `no ${a} address`;
    case 'unsubscribed':
      return a ? `unsubscribed from ${a}` : 'unsubscribed from all marketing';
    case 'blocked': {
      const title = a === 'list' && Object.hasOwn(listTitles, b) ? listTitles[b] : null;
      return title ? `on block list "${title}" (${b})` : `on block ${a} "${b}"`;
    }
    case 'given-up':
      return `given up after unanswered touches (${reason.slice('given-up:'.length)})`;
    case 'no-coupon':
      return 'the message names a coupon this journey never gave the customer';
    case 'coupon-used':
      return "the customer already used this journey's coupon; no second one";
    case 'share-limit':
      return `campaign "${a}" reached its multi-touch share`;
    case 'fallback':
      return `sent on the fallback channel because: ${explainReason(reason.slice('fallback:'.length), listTitles)}`;
    default:
      return null;
  }
}
