/**
 * The walkthrough (walk-m, 6 Dec): one marketer, one journey in two tabs. Tab A saved an edit; the
 * other tab saved over it. Tab A went on saying 草稿已自动保存 and its 发布修改 published A's older copy:
 * the other edit was gone from the live version and the draft, without a word. Now the publish names
 * the revision the tab saved (ifDraftRevision, api/journeys/draft-changed.ts), the server refuses it,
 * and the tab shows the conflict banner a refused save shows: load the other version, or keep this one.
 * Headless chromium through playwright-core against the real server (run under
 * flock /work/wt/browser.lock); the set-up is every designer browser test's.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { VirtualClock } from '../../server/src/core/clock.js';
import { designerInBrowser } from '../support/designer-browser.js';

process.env.REKINDLE_QUIET = '1';
const T0 = Date.parse('2026-12-06T10:00:00+08:00');

describe('a tab whose draft was saved over from elsewhere', () => {
  const errors: string[] = [];
  const d = designerInBrowser({ name: 'stale-tab-publish', clock: () => new VirtualClock(T0), errors, viewport: { width: 1366, height: 768 } });
  const { api, textOf, until, newJourney, add, rules } = d;
  let page: Page;
  beforeAll(() => void (page = d.session().page));

  type StoredDraft = { flow: { nodes: { id: string; label?: string }[] }; layout: unknown; revision: number };
  const draftOf = async (id: string) => {
    const r = await api('GET', `/api/flows/${id}/draft`, undefined, 'marketer');
    return r.status === 200 ? ((await r.json()) as StoredDraft) : null;
  };

  it('cannot publish its older copy: nothing goes live, the banner offers the other version, and publishing that keeps the other edit', async () => {
    await newJourney('Stale tab publish');
    await add('entry', 'start');
    await add('exit', 'exit-1');
    const id = decodeURIComponent(page.url().split('#/flows/')[1]);
    expect(id).toBe('stale-tab-publish');
    await until(async () => (await draftOf(id))?.flow.nodes.length === 2, 'both steps saved');
    await textOf(page.getByTestId('autosave'), '草稿已自动保存');
    // The marketer's other tab (another login session of theirs) saves an edit over this tab's revision.
    const theirs = (await draftOf(id))!;
    const nodes = theirs.flow.nodes.map((n) => (n.id === 'start' ? { ...n, label: '另一个标签页改的入口' } : n));
    expect((await api('PUT', `/api/flows/${id}/draft`, { flow: { ...theirs.flow, nodes }, layout: theirs.layout, revision: theirs.revision }, 'marketer')).status).toBe(200);
    // This tab still says its draft is saved, and publishes.
    await page.getByTestId('publish').click();
    await until(async () => (await page.getByTestId('publish-id-input').inputValue()) === id, 'the id offered unchanged');
    await page.getByTestId('publish-confirm').click();
    await page.getByTestId('publish-dialog').waitFor({ state: 'detached' });
    await textOf(page.getByTestId('draft-conflict'), '这里的修改还没有保存，自动保存已暂停');
    await textOf(page.getByTestId('message'), '没有发布：这个旅程的草稿在别处改过');
    // Nothing went live, nothing was written, and the other edit is still the draft.
    expect(existsSync(join(rules, 'flows', `${id}.flow.yaml`))).toBe(false);
    expect(((await (await api('GET', '/api/flows', undefined, 'marketer')).json()) as { id: string }[]).some((f) => f.id === id)).toBe(false);
    expect((await draftOf(id))?.flow.nodes.find((n) => n.id === 'start')?.label).toBe('另一个标签页改的入口');
    // Loading the other version, then publishing it, publishes the other edit.
    await page.getByTestId('draft-conflict-load').click();
    await page.getByTestId('draft-conflict').waitFor({ state: 'detached' });
    await page.getByTestId('publish').click();
    await until(async () => (await page.getByTestId('publish-id-input').inputValue()) === id, 'the id offered unchanged');
    await page.getByTestId('publish-confirm').click();
    await textOf(page.getByTestId('flow-status'), '运行中 v1');
    expect(readFileSync(join(rules, 'flows', `${id}.flow.yaml`), 'utf8')).toContain('另一个标签页改的入口');
    expect(await draftOf(id)).toBeNull();
    expect(errors.filter((e) => !/^409 /.test(e))).toEqual([]);
  }, 120_000);
});
