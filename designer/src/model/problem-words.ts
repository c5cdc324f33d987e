import { fieldLabel } from './fields.js';
import type { Lang } from './i18n.js';
import { translate } from './i18n.js';
import { serverProblemWords } from './server-problem-words.js';
import { stepNameIn } from './step-name.js';
import { channelLabel } from './summary.js';
import type { DraftFlow, Problem } from './types.js';

/**
 * A problem in the marketer's words. The server's checks (the same as `rekindle validate`) speak
 * English with schema paths; in Chinese each is said again (server-problem-words.ts), naming the
 * field by its label. Problems the designer finds itself carry an i18n key ("local.…").
 */
/** `flow`: the journey the problem is in, so a branch is named by its arm's or case's label. */
export function problemWords(lang: Lang, p: Problem, flow?: DraftFlow | null): string {
  if (p.message.startsWith('local.')) {
    const [, n] = p.path.split(':');
    // A problem about another step (path "field:<step id>") names it, and its channel, in words.
    const other = flow?.nodes.find((x) => x.id === n);
    const self = flow?.nodes.find((x) => x.id === p.nodeId);
    return translate(lang, p.message)
      .replace('{n}', n ?? '')
      .replaceAll('{step}', flow ? stepNameIn(lang, flow.nodes, n ?? '') : (n ?? ''))
      .replaceAll('{channel}', channelLabel(lang, String(other?.channel ?? '')))
      .replaceAll('{here}', channelLabel(lang, String(self?.channel ?? '')));
  }
  if (lang === 'en') return p.message;
  // A check newer than these words (tests/unit/designer-problem-words.test.ts keeps this rare):
  // the field, then the server's own reason, rather than hiding it.
  return serverProblemWords(p, flow) ?? `「${fieldLabel('zh', p.path.replace(/^nodes\.\d+\./, '').replace(/\.\d+(?=\.|$)/g, ''))}」填写有误：${p.message}`;
}
