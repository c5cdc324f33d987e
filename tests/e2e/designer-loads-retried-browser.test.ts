/**
 * The journeys home and opening a flow when the server cannot answer at once (a restart): one 503
 * left a raw English error with no way back but reloading the page. Now both loads are asked again
 * (ui/hooks/useRetriedLoad.ts) and the screens come up without a reload.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { VirtualClock } from '../../server/src/core/clock.js';
import { designerInBrowser } from '../support/designer-browser.js';

process.env.REKINDLE_QUIET = '1';
const T0 = Date.parse('2026-11-05T10:00:00+08:00');

describe('the designer: the journeys home and a flow after a 503', () => {
  const d = designerInBrowser({ name: 'loads-retried', clock: () => new VirtualClock(T0) });
  const { errors, signedIn, node } = d;
  let page: Page;
  beforeAll(() => void ({ page } = d.session()));

  it('asks again for the journeys and the flow, and shows both without a reload', async () => {
    await signedIn();
    const failedOnce = new Set<string>();
    const onceUnavailable = (what: string) => async (route: import('playwright-core').Route) => {
      if (route.request().method() !== 'GET' || failedOnce.has(what)) return route.continue();
      failedOnce.add(what);
      return route.fulfill({ status: 503, contentType: 'application/json', body: '{"statusCode":503,"message":"Service Unavailable"}' });
    };
    await page.route('**/api/home', onceUnavailable('home'));
    await page.route('**/api/flows/payment-reminder/draft', onceUnavailable('draft'));
    await page.goto(`${d.session().base}/#/`);
    await page.getByTestId('home-table').waitFor();
    await page.getByTestId('home-flow-payment-reminder').click();
    await node('start').waitFor();
    expect([...failedOnce].sort()).toEqual(['draft', 'home']);
    await page.unroute('**/api/home');
    await page.unroute('**/api/flows/payment-reminder/draft');
    expect(errors.filter((e) => !/503/.test(e))).toEqual([]);
  });
});
