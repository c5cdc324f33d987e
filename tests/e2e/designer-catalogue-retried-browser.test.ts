/**
 * The step forms' schema as a marketer meets a server that cannot answer at once (a restart, a
 * dropped connection): the designer fetched it once and dropped the error, so a click on any card
 * showed 旅程设置 — as if the click had missed — until the page was reloaded. Now the designer asks
 * again (model/retried.ts), and a card chosen before the forms have come says it is loading.
 * Headless chromium through playwright-core against the real server.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Page, Route } from 'playwright-core';
import { VirtualClock } from '../../server/src/core/clock.js';
import { designerInBrowser } from '../support/designer-browser.js';

process.env.REKINDLE_QUIET = '1';
const T0 = Date.parse('2026-11-05T10:00:00+08:00');

describe('the designer: the step forms when the server cannot answer at once', () => {
  const d = designerInBrowser({ name: 'catalogue-retried', clock: () => new VirtualClock(T0) });
  const { errors, textOf, signedIn, node, inspector, viewSettled } = d;
  let page: Page;
  beforeAll(() => void ({ page } = d.session()));

  it('asks again for the forms after a dropped connection, and says 加载中 for a card chosen before they come', async () => {
    await signedIn();
    const held: Route[] = [];
    let asked = 0;
    await page.route('**/api/flows/schema', async (route) => {
      asked += 1;
      if (asked === 1) return route.abort('connectionreset');
      held.push(route); // the second try waits until the card has been chosen
    });
    await page.goto(`${d.session().base}/#/flows/payment-reminder`);
    await node('start').waitFor();
    await viewSettled();
    await d.until(async () => held.length === 1, 'the designer to ask for the forms again');
    await d.select('start');
    await textOf(page.getByTestId('inspector-waiting'), '加载中');
    expect(await page.getByTestId('inspector-fields').count()).toBe(0); // not the journey's settings
    await held[0]!.continue();
    await inspector('start').waitFor();
    expect(asked).toBe(2);
    await page.unroute('**/api/flows/schema');
    expect(errors).toEqual([]);
  });
});
