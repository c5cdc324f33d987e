import { translate, type Lang } from './i18n.js';

interface ArmCount {
  arm: string;
  assigned: number;
}

/**
 * A warning of an experiment report as the server gives it (core/experiment/report-warnings.ts):
 * the case as a `code` with its figures, and the English `message`. A server newer than these
 * words may send a code they do not know: it is shown by its message.
 */
export type ReportWarning = { message: string } & (
  | { code: 'not-enough-data'; figures: { fewest: ArmCount; minPerArm: number } }
  | { code: 'no-baseline'; figures: { control: string } }
  | { code: 'target-unreachable'; figures: { control: string; baselineRate: number; detectLift: number } }
  | { code: 'underpowered'; figures: { detectLift: number; baselineRate: number; perArm: number; moreCustomers: number; basis?: 'shares' | 'per-arm'; unfillable?: string[]; sample?: number; significant?: boolean } }
  | { code: 'low-exposure'; figures: { arms: (ArmCount & { exposed: number })[]; share: number } }
  | { code: 'sample-ratio-mismatch'; figures: { arms: (ArmCount & { weight: number })[]; pValue: number } }
  | { code?: string; figures?: unknown }
);

/** The report's `enoughData` (core/experiment/enough-data.ts). */
export interface EnoughData {
  enough: boolean;
  minPerArm: number;
  fewest: ArmCount | null;
  /** Absent from a server older than the reason. */
  reason?: 'few-customers' | 'no-baseline' | null;
  control?: string | null;
}

/** Words with the arms apart: an arm's name is the shop's own (shown as content, not translated). */
export type WarningPart = string | { arm: string };

export interface WarningWords {
  parts: WarningPart[];
  /** The code is one these words know and the parts say it; else the parts are the English message. */
  known: boolean;
}

const arm = (id: string) => ({ arm: id });
const pct = (v: number) => `${(v * 100).toFixed(2)}%`;
const liftPct = (v: number) => `${(v * 100).toFixed(0)}%`;

/** A p-value in the panel: four decimals, "< 0.0001" below that (never "0.0000"; server: core/experiment/p-value-text.ts). */
export function pValueText(p: number): string {
  return p < 0.0001 ? '< 0.0001' : p.toFixed(4);
}

/**
 * The customers an underpowered test still needs (core/experiment/customers-needed.ts): the arms
 * fill at their shares, so a 10% holdout short of 36,728 needs ten customers entering the split for
 * each one it lacks: 还需约 34 万位顾客进入分流, not the per-arm shortfalls summed (总共还差 108179 位
 * understated it threefold). By quota (`per-arm`) the shortfalls summed; an older server without
 * `basis` as it said it then.
 */
function moreCustomersWords(f: Extract<ReportWarning, { code: 'underpowered' }>['figures']): WarningPart[] {
  if (f.basis === undefined) return [`总共还差 ${f.moreCustomers} 位`];
  const parts: WarningPart[] = [];
  if (f.basis === 'per-arm') parts.push(`各组按名额分配，总共还差 ${f.moreCustomers} 位（需调高各组名额）`);
  else if (f.moreCustomers > 0) parts.push(`按各组分配比例，还需 ${f.moreCustomers} 位顾客进入分流${f.sample !== undefined ? `（其中 ${f.sample}% 参与测试）` : ''}`);
  const unfillable = f.unfillable ?? [];
  if (unfillable.length) {
    if (parts.length) parts.push('；');
    unfillable.forEach((a, i) => parts.push(i ? '、「' : '「', arm(a), '」'));
    parts.push('的分配比例为 0，进入分流的顾客再多也填不满');
  }
  return parts;
}

/**
 * Where the panel is: `simulated`, a simulation's result in the editor, where 实时数据 (the live
 * numbers) is greyed out and the reasons messages were held back are the simulation summary's
 * 「N 条未发出：…」 lines; otherwise a published journey's report.
 */
export interface WarningPlace {
  simulated?: boolean;
}

/** A report warning in the marketer's language, from its code and figures (never from the message). */
export function reportWarningWords(lang: Lang, w: ReportWarning, place: WarningPlace = {}): WarningWords {
  if (lang === 'en') return { parts: [w.message], known: true };
  const said = zh(w, place);
  return said ? { parts: said, known: true } : { parts: [w.message], known: false };
}

function zh(w: ReportWarning, place: WarningPlace): WarningPart[] | null {
  switch (w.code) {
    case 'not-enough-data': {
      const f = (w as Extract<ReportWarning, { code: 'not-enough-data' }>).figures;
      return ['数据还不够：「', arm(f.fewest.arm), `」只有 ${f.fewest.assigned} 位顾客，每组至少需要 ${f.minPerArm} 位，响应率、提升和最优概率才有意义`];
    }
    case 'no-baseline': {
      const f = (w as Extract<ReportWarning, { code: 'no-baseline' }>).figures;
      return ['对照组「', arm(f.control), '」还没有人响应，无法估算每组需要多少顾客'];
    }
    case 'target-unreachable': {
      const f = (w as Extract<ReportWarning, { code: 'target-unreachable' }>).figures;
      return ['无法估算每组需要多少顾客：对照组「', arm(f.control), `」的响应率已是 ${pct(f.baselineRate)}，再相对提升 ${liftPct(f.detectLift)} 就会达到或超过 100%`];
    }
    case 'underpowered': {
      const f = (w as Extract<ReportWarning, { code: 'underpowered' }>).figures;
      const more = moreCustomersWords(f);
      // Beside a significant result the figures plan the next test; they cast no doubt on this one.
      if (f.significant) return [`规划参考：结果已经显著；下次若要在 ${pct(f.baselineRate)} 的响应率上检出 ${liftPct(f.detectLift)} 的相对提升，每组宜按 ${f.perArm} 位顾客规划（本次`, ...more, '）'];
      return [`样本量不足：要在 ${pct(f.baselineRate)} 的响应率上检出 ${liftPct(f.detectLift)} 的相对提升，每组需要 ${f.perArm} 位顾客；`, ...more];
    }
    case 'low-exposure': {
      const f = (w as Extract<ReportWarning, { code: 'low-exposure' }>).figures;
      const arms: WarningPart[] = [];
      f.arms.forEach((a, i) => arms.push(...(i ? ['；「'] : ['「']), arm(a.arm), `」分配的 ${a.assigned} 位顾客中只有 ${a.exposed} 位收到了消息`));
      // Where to look for why: in a simulation 实时数据 is greyed out (walked on 6 Dec 2026: the advice
      // pointed there); its summary lists the messages held back by reason.
      const look = place.simulated ? '请先看「模拟结果」里「… 条未发出」各行：那是各发送步骤的拦截原因' : '请先在「实时数据」里看各发送步骤的拦截原因';
      return ['收到消息的人太少：', ...arms, `。其余顾客被拦下（如没有营销许可、触达上限）、消息还在排队、没送达或还没走到发送步骤，但仍按分组计入响应率，所以这一组的提升说明不了消息本身的效果。${look}`];
    }
    case 'sample-ratio-mismatch': {
      const f = (w as Extract<ReportWarning, { code: 'sample-ratio-mismatch' }>).figures;
      const sizes: WarningPart[] = [];
      f.arms.forEach((a, i) => sizes.push(...(i ? ['，「'] : ['「']), arm(a.arm), `」${a.assigned} 位`));
      return ['各组人数与设定比例不符（', ...sizes, `；设定 ${f.arms.map((a) => `${a.weight}%`).join('/')}；${f.pValue < 1e-4 ? 'p < 0.0001' : `p = ${f.pValue.toFixed(4)}`}）：请先检查分组和记录，再看结果`];
    }
    default:
      return null;
  }
}

/**
 * Why the panel shows counts only, in the marketer's language. Without a reason (an older server)
 * it is the count per arm. `said`: the warning code these words already say, not to be repeated.
 */
export function notEnoughWords(lang: Lang, e: EnoughData): { parts: WarningPart[]; said: string } {
  const zh = lang === 'zh';
  if (e.reason === 'no-baseline' && e.control) {
    return {
      parts: zh
        ? ['数据还不够：对照组「', arm(e.control), '」还没有人响应，无法估算每组需要多少顾客；先不比较响应率和最优概率']
        : ['Not enough data yet: the control arm ', arm(e.control), ' has no responses, so the customers each arm needs cannot be estimated; rates and P(best) are not compared yet'],
      said: 'no-baseline',
    };
  }
  return { parts: [translate(lang, 'exp.notEnough').replace('{n}', String(e.minPerArm))], said: 'not-enough-data' };
}

/** The parts as one line, each arm named by `name` (its label in the report, else its id). */
export function warningText(parts: WarningPart[], name: (arm: string) => string = (a) => a): string {
  return parts.map((p) => (typeof p === 'string' ? p : name(p.arm))).join('');
}
