/**
 * A sum of money without the float noise of adding it up (165 SMS at ¥0.05 summed to
 * 8.249999999999982, order amounts to 1881.5700000000002): the JSON gave those to tools while the
 * text said ¥8.25. Kept to a millionth of a yuan, not to the fen, so a sub-fen SMS price (¥0.045)
 * still adds up exactly. The experiment report, the funnel and the response by group use it.
 */
export const money = (v: number): number => Math.round(v * 1e6) / 1e6;
