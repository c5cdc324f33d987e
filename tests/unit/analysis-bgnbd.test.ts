/**
 * BG/NBD on the CDNOW sample: the fit over the paper's 39-week calibration period (1997-01-01 to
 * 1997-09-30) reproduces Fader, Hardie & Lee (2005), Table/§5: r = 0.243, α = 4.414, a = 0.793,
 * b = 2.426 (LL = −9582.4), and the derived quantities behave as the paper describes.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectedPurchases, fitBgnbd, hyp2f1, probabilityAlive, summarise } from '../../server/src/core/analysis/bgnbd.js';
import { parseCdnow } from '../../server/src/core/data/cdnow.js';

const orders = parseCdnow(readFileSync(join(process.cwd(), 'data/cdnow/cdnow_sample.txt'), 'utf8'));
const calibration = summarise(orders.map((o) => ({ customerId: o.customerId, at: o.at })), Date.UTC(1997, 8, 30));

describe('BG/NBD (Fader, Hardie & Lee 2005) on CDNOW', () => {
  it('summarises 2,357 customers over 39 weeks (x, t_x, T in weeks; same-day purchases once)', () => {
    expect(calibration).toHaveLength(2357);
    const c = calibration.find((s) => s.id === '00004')!;
    // 00004 bought on 1997-01-01, 01-18, 08-02 (and later, outside the period).
    expect(c).toEqual({ id: '00004', x: 2, tx: 213 / 7, T: 272 / 7 });
    expect(Math.max(...calibration.map((s) => s.T))).toBeCloseTo(272 / 7, 10);
  });

  it('fits the published estimates r = 0.243, α = 4.414, a = 0.793, b = 2.426', () => {
    const fit = fitBgnbd(calibration);
    expect(fit.params.r).toBeCloseTo(0.243, 3);
    expect(fit.params.alpha).toBeCloseTo(4.414, 2);
    expect(fit.params.a).toBeCloseTo(0.793, 3);
    expect(fit.params.b).toBeCloseTo(2.426, 2);
    expect(fit.logLikelihood).toBeCloseTo(-9582.4, 0);
  });

  it('P(alive) and expected purchases: a frequent buyer who stopped long ago is probably gone', () => {
    const p = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
    expect(probabilityAlive(p, { x: 0, tx: 0, T: 38 })).toBe(1);
    const recent = probabilityAlive(p, { x: 4, tx: 37, T: 38 });
    const stopped = probabilityAlive(p, { x: 4, tx: 5, T: 38 });
    expect(recent).toBeGreaterThan(0.8);
    expect(stopped).toBeLessThan(0.3);
    // The paper's worked example (§5): x = 2, t_x = 30.43, T = 38.86 → 1.226 expected purchases in the next 39 weeks.
    expect(expectedPurchases(p, { x: 2, tx: 30.43, T: 38.86 }, 39)).toBeCloseTo(1.226, 2);
  });

  it('the hypergeometric series matches closed forms', () => {
    // 2F1(1, 1; 2; z) = −ln(1 − z) / z
    expect(hyp2f1(1, 1, 2, 0.5)).toBeCloseTo(-Math.log(0.5) / 0.5, 12);
    // 2F1(a, b; b; z) = (1 − z)^−a
    expect(hyp2f1(1.5, 2, 2, 0.3)).toBeCloseTo(Math.pow(0.7, -1.5), 12);
  });
});
