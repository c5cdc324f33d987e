import { describe, expect, it } from '@jest/globals';
import { ApiError } from '../../designer/src/api-error.js';
import { previewFailure } from '../../designer/src/model/publish-preview-failure.js';

/** What call() (designer/src/api.ts) throws for a refused request: the status, the server's message, the whole answer. */
const refused = (status: number, message: string, body: Record<string, unknown> | null = { statusCode: status, message }) => new ApiError(status, message, [], body);

describe('the publish confirmation when its summary could not be loaded (model/publish-preview-failure.ts)', () => {
  it('a server error or no answer: says in Chinese that the summary could not be computed and why, and publishes only on a confirmation naming what was not seen', () => {
    const down = previewFailure('zh', refused(500, 'Internal server error'));
    expect(down).toEqual({
      publish: 'confirm',
      text: '无法计算发布摘要（人数、频次上限和免打扰）：服务器暂时出错（HTTP 500）。可以重试；也可以不看摘要直接发布。',
      risk: '我知道还没有看到会进入的人数、已在旅程中的顾客，以及会拦住消息的频次上限和免打扰，仍要发布',
    });
    // fetch() rejects with a TypeError when nothing answered: its English words are not shown.
    const offline = previewFailure('zh', new TypeError('Failed to fetch'));
    expect(offline.publish).toBe('confirm');
    expect(offline.text).toContain('连不上服务器（网络中断，或服务器没有在运行）');
    expect(offline.text).not.toContain('Failed to fetch');
    // A gateway's HTML page instead of JSON.
    expect(previewFailure('zh', new SyntaxError("Unexpected token '<', \"<html>\" is not valid JSON")).text).toContain('服务器的回答无法读取');
  });

  it('refuses when publishing would be refused for the same reason: session ended, a role that may not publish, the journey refused as sent', () => {
    expect(previewFailure('zh', refused(401, 'Unauthorized'))).toEqual({ publish: 'refused', text: '无法计算发布摘要（人数、频次上限和免打扰）：登录已过期，发布也会被拒绝：请重新登录后再发布。', risk: null });
    expect(previewFailure('zh', refused(403, 'Forbidden resource'))).toMatchObject({ publish: 'refused', risk: null, text: expect.stringContaining('你的账号没有发布旅程的权限') });
    const bad = previewFailure('zh', refused(400, 'flow.nodes: expected array'));
    expect(bad).toMatchObject({ publish: 'refused', risk: null });
    expect(bad.text).toBe('无法计算发布摘要（人数、频次上限和免打扰）：服务器拒绝了这个旅程（HTTP 400：flow.nodes: expected array），发布也会被拒绝：请先按问题面板修改。');
  });

  it('never shows a stack trace or a server path, only the first line of a message fit to show', () => {
    const leaky = previewFailure('zh', refused(400, 'TypeError: x is undefined\n    at preview (/srv/rekindle/dist/server/src/api/designer/publish-preview.controller.js:52:13)'));
    expect(leaky.text).not.toMatch(/\bat preview|\/srv\/|\.js:\d+/);
    expect(leaky.text).toContain('HTTP 400');
    const path = previewFailure('zh', refused(400, "ENOENT: no such file or directory, open '/srv/rekindle/rules/policy.yaml'"));
    expect(path.text).not.toContain('/srv/');
    expect(previewFailure('zh', refused(502, 'Bad Gateway\n    at proxy (/etc/nginx/x.js:1:1)')).text).not.toContain('/etc/');
  });
});
