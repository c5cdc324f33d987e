/**
 * The marketer reloads the page while editing a journey: autosave kept the drawing as the draft, but
 * 撤销 was disabled after the reload, the steps before it lost. The steps are now kept for the tab's
 * session (model/kept-history.ts, ui/hooks/useKeptHistory.ts) and taken back on opening when the
 * server's draft is the drawing they were kept with — never over a draft saved since elsewhere.
 * Headless chromium through playwright-core against the real server (run under
 * flock /work/wt/browser.lock); the case sets up what it needs.
 */
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { VirtualClock } from '../../server/src/core/clock.js';
import { designerInBrowser } from '../support/designer-browser.js';

process.env.REKINDLE_QUIET = '1';
const T0 = Date.parse('2027-03-02T10:00:00+08:00');
const ID = 'visit-thanks';
const FLOW = `id: ${ID}
name: 到店感谢
nodes:
  - { id: start, type: entry, label: 到店的顾客, trigger: { type: event, event: visit }, next: wait }
  - { id: wait, type: wait, duration: 3d, next: done }
  - { id: done, type: exit }
`;
const LAYOUT = `positions:
  start: { x: 0, y: 0 }
  wait: { x: 0, y: 170 }
  done: { x: 0, y: 340 }
`;

type Draft = { flow: { nodes: { id: string; duration?: string }[] }; layout: unknown; revision: number; baseVersion: number | null };

describe('undo after reloading the editor', () => {
  const errors: string[] = [];
  const d = designerInBrowser({
    name: 'undo-reload',
    clock: () => new VirtualClock(T0),
    errors,
    viewport: { width: 1366, height: 900 },
    rules: (dir) => {
      cpSync(join(process.cwd(), 'rules'), dir, { recursive: true });
      writeFileSync(join(dir, 'flows', `${ID}.flow.yaml`), FLOW);
      writeFileSync(join(dir, 'flows', `${ID}.layout.yaml`), LAYOUT);
    },
  });
  const { textOf, node, inspector, until } = d;
  let page: Page;
  const draftOnServer = async () => {
    const r = await d.api('GET', `/api/flows/${ID}/draft`);
    return r.status === 204 ? null : ((await r.json()) as Draft);
  };
  const waitOnServer = async () => (await draftOnServer())?.flow.nodes.find((n) => n.id === 'wait')?.duration;
  const settled = () => page.locator('[data-testid="autosave"]:not(.autosave-pending)').waitFor();
  const reopened = async () => {
    await page.reload();
    await node('wait').waitFor();
    await page.getByTestId('flow-status').waitFor();
  };

  beforeAll(() => void (page = d.session().page));

  it('takes back the edit made before the reload: the old value on the canvas and in the saved draft, and redoes it', async () => {
    await d.signedIn();
    await page.goto(`${d.session().base}/#/flows/${ID}`);
    await node('wait').waitFor();
    await d.select('wait');
    await inspector('wait').locator('[data-field="duration"] input').first().fill('5 days');
    await until(async () => (await waitOnServer()) === '5d', 'the edit saved as the draft');
    await settled();
    await textOf(page.getByTestId('summary-wait'), '5 天');

    await reopened();
    await textOf(page.getByTestId('summary-wait'), '5 天');
    expect(await page.getByTestId('undo').isDisabled()).toBe(false);
    await page.getByTestId('undo').click();
    await textOf(page.getByTestId('summary-wait'), '3 天');
    await until(async () => (await waitOnServer()) === '3d', 'the undone drawing saved as the draft');
    await settled();
    // And once more after another reload: the step undone is there to redo.
    await reopened();
    await textOf(page.getByTestId('summary-wait'), '3 天');
    expect(await page.getByTestId('redo').isDisabled()).toBe(false);
    await page.getByTestId('redo').click();
    await textOf(page.getByTestId('summary-wait'), '5 天');
    await until(async () => (await waitOnServer()) === '5d', 'the redone drawing saved as the draft');
    await settled();
    expect(errors).toEqual([]);
  }, 120_000);

  it('keeps no undo step over a draft saved since from another tab or device', async () => {
    await d.signedIn();
    await page.goto(`${d.session().base}/#/flows/${ID}`);
    await node('wait').waitFor();
    await d.select('wait');
    await inspector('wait').locator('[data-field="duration"] input').first().fill('7 days');
    await until(async () => (await waitOnServer()) === '7d', 'the edit saved as the draft');
    await settled();
    // Another device saves the draft with another wait.
    const draft = (await draftOnServer()) as Draft;
    const nodes = draft.flow.nodes.map((n) => (n.id === 'wait' ? { ...n, duration: '9d' } : n));
    const put = await d.api('PUT', `/api/flows/${ID}/draft`, { flow: { ...draft.flow, nodes }, layout: draft.layout, baseVersion: draft.baseVersion, revision: draft.revision });
    expect(put.status).toBe(200);

    await reopened();
    await textOf(page.getByTestId('summary-wait'), '9 天');
    expect(await page.getByTestId('undo').isDisabled()).toBe(true);
    expect(await page.getByTestId('redo').isDisabled()).toBe(true);
    expect(await waitOnServer()).toBe('9d');
    expect(errors).toEqual([]);
  }, 120_000);
});
