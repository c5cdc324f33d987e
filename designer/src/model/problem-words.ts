import { fieldLabel } from './fields.js';
import type { Lang } from './i18n.js';
import { translate } from './i18n.js';
import type { Problem } from './types.js';

/**
 * A problem in the marketer's words. The server's checks (the same as `rekindle validate`) speak
 * English with schema paths; in Chinese each known message is said again in Chinese, naming the
 * field by its label. Problems the designer finds itself carry an i18n key ("local.…").
 */
const schemaPathOf = (path: string) => path.replace(/^nodes\.\d+\./, '').replace(/\.\d+(?=\.|$)/g, '');

const BRANCH: Record<string, Record<Lang, string>> = {
  next: { zh: '下一步', en: 'next' },
  yes: { zh: '是', en: 'yes' },
  no: { zh: '否', en: 'no' },
  responded: { zh: '已响应', en: 'responded' },
  timedOut: { zh: '超时', en: 'timed out' },
  else: { zh: '其他', en: 'else' },
  capped: { zh: '被限频', en: 'capped' },
  overflow: { zh: '超出上限', en: 'over the limit' },
};
export function branchWords(lang: Lang, handle: string): string {
  if (BRANCH[handle]) return BRANCH[handle][lang];
  if (handle.startsWith('arm-')) return lang === 'zh' ? `分组 ${handle.slice(4)}` : `arm ${handle.slice(4)}`;
  if (handle.startsWith('case-')) return lang === 'zh' ? `第 ${Number(handle.slice(5)) + 1} 个分支` : `branch ${Number(handle.slice(5)) + 1}`;
  return handle;
}

export function problemWords(lang: Lang, p: Problem): string {
  if (p.message.startsWith('local.')) {
    const [, n] = p.path.split(':');
    return translate(lang, p.message).replace('{n}', n ?? '');
  }
  if (lang === 'en') return p.message;
  const field = fieldLabel('zh', schemaPathOf(p.path));
  const m = p.message;
  let r: RegExpExecArray | null;
  if ((r = /^branch "([^"]+)" is not connected to any node$/.exec(m))) return `「${branchWords('zh', r[1])}」还没有连到下一步`;
  if ((r = /^edge "([^"]+)" points to missing node "([^"]+)"$/.exec(m))) return `「${branchWords('zh', r[1])}」连到的步骤「${r[2]}」不存在`;
  if (/^node is unreachable from the entry node/.test(m)) return '从入口走不到这一步（还没有连线指向它）';
  if (/^a flow needs exactly one entry node; there is none$/.test(m)) return '旅程需要一个入口';
  if ((r = /^a flow needs exactly one entry node; "([^"]+)" is already the entry$/.exec(m))) return `旅程只能有一个入口，「${r[1]}」已经是入口`;
  if ((r = /^duplicate node id "([^"]+)"/.exec(m))) return `步骤 ID「${r[1]}」重复了`;
  if (/^loop without a wait/.test(m)) return '出现了没有等待的循环：请在循环中加一个「等待」或「等待响应」';
  if ((r = /arm weights add up to ([\d.]+)%, not 100%/.exec(m))) return `各组比例加起来是 ${r[1]}%，应为 100%`;
  if ((r = /^duplicate arm id "([^"]+)"/.exec(m))) return `分组 ID「${r[1]}」重复了`;
  if (/give either rule or conditions/.test(m)) return '请选择一个人群规则，或用条件构建器设置条件（二选一）';
  if (/give exactly one of duration, untilTime, untilDate/.test(m)) return '请只设置一种等待方式：时长、几点或日期';
  if (/onCapped: branch needs a capped edge/.test(m)) return '选择了「被限频时走分支」，请连接「被限频」分支';
  if (/overflow only applies to mode keep/.test(m)) return '只有「只取前面的」方式才有「超出上限」分支';
  if ((r = /unknown rule "([^"]+)"/.exec(m))) return `人群规则「${r[1]}」不存在`;
  if ((r = /references unknown rule "([^"]+)"/.exec(m))) return `引用的人群规则「${r[1]}」不存在`;
  if ((r = /^unknown key "([^"]+)"/.exec(m))) return `不认识的设置项「${r[1]}」`;
  if ((r = /^missing required "([^"]+)"$/.exec(m))) return `请填写「${field}」`;
  if (/a duration such as|is not a duration/.test(m)) return `「${field}」不是有效的时长，例如 30分钟、2小时、3天`;
  if (/Invalid option: expected one of/.test(m)) return `请为「${field}」选择一个选项`;
  if (/expected number/.test(m) || /Too (small|big)/.test(m)) return `「${field}」的数值不在允许范围内`;
  if (/date-time|ISO/.test(m)) return `「${field}」需要一个日期时间`;
  if (/HH:MM/.test(m)) return `「${field}」需要一个时间，例如 09:00`;
  if (/not valid YAML/.test(m)) return '文件格式有误（YAML）';
  if (/file name .* does not match flow id/.test(m)) return '文件名与旅程 ID 不一致';
  if (/flow id must be/.test(m)) return '旅程 ID 与文件不一致';
  if (/^mentions a coupon the customer may not hold/.test(m)) {
    return `「${field}」提到了优惠券，但顾客到这一步时可能还没有券：请在这一步的「优惠券」里选一张券发出，或让顾客只在发过券的发送步骤之后才到这一步`;
  }
  if (/^\{\{coupon\}\} does not say what to print/.test(m)) return `「${field}」里的 {{coupon}} 没有说明显示什么：请用 {{coupon.code}}（券码）、{{coupon.amount}}（面额）或 {{coupon.expires}}（到期日）`;
  if ((r = /^\{\{(coupon\.[^}]*)\}\}: a coupon has/.exec(m))) return `「${field}」里的 {{${r[1]}}} 不存在：优惠券只有 {{coupon.code}}、{{coupon.amount}}、{{coupon.expires}}`;
  if ((r = /^names a coupon amount as text \("([^"]*)"\)/.exec(m))) return `「${field}」直接写了券面额「${r[1]}」：请改用 {{coupon.amount}} 并在这一步发券，让文案与顾客手里的券一致`;
  if (/^uses \{\{link\}\} but has no link target/.test(m)) return `「${field}」里用了 {{link}}，但这一步没有填写「链接」：顾客收到的消息里不会有链接。请填写链接，或删掉 {{link}}`;
  if ((r = /^\{\{([^}]*)\}\} is not a message variable .*did you mean \{\{([^}]*)\}\}\?$/.exec(m))) return `「${field}」里的 {{${r[1]}}} 不是可用的变量，顾客看到的会是空白：是不是想写 {{${r[2]}}}？`;
  if ((r = /^\{\{([^}]*)\}\} is not a message variable/.exec(m))) return `「${field}」里的 {{${r[1]}}} 不是可用的变量，顾客看到的会是空白：请从「插入变量」里选择`;
  if ((r = /^\{\{([^}]*)\}\} does not say which field to print/.exec(m))) return `「${field}」里的 {{${r[1]}}} 没有说明显示哪一项：请从「插入变量」里选择，例如 {{customer.name}}`;
  if ((r = /^event "([^"]*)" is not an event the shop records: did you mean "([^"]*)"\?/.exec(m))) return `「${field}」的事件「${r[1]}」不存在，旅程永远等不到它：是不是想写「${r[2]}」？请从列表里选择`;
  if ((r = /^event "([^"]*)" is neither one the system records nor one seen/.exec(m))) return `「${field}」的事件「${r[1]}」系统不会记录，店铺也从未发送过：旅程可能永远不会因它开始或结束。请从列表里选择；若是店铺通过接口自行发送的事件，可以忽略`;
  if ((r = /^coupon template "([^"]+)" is not in rules\/coupons\.yaml/.exec(m))) return `优惠券模板「${r[1]}」不在 rules/coupons.yaml 中，请从列表里选一张`;
  // Not said again in Chinese yet: the field, then the server's own reason, rather than hiding it.
  return `「${field}」填写有误：${m}`;
}
