import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { schemaFileText } from '../../server/src/core/flow/json-schema.js';
import { cli } from '../support/cli.js';
import { tempDir } from '../support/temp-dirs.js';

const EXAMPLES = fileURLToPath(new URL('../../rules', import.meta.url));

const rekindle = (...args: string[]) => cli(args);
/** validate's lines warning of a date already past (date-checks.ts). */
const pastDateWarnings = (stdout: string) => stdout.split('\n').filter((l) => /: warning: (startAt|untilDate) .* is already past \(now /.test(l));

const BROKEN = `id: broken
name: Broken
nodes:
  - id: start
    type: entry
    trigger: { type: schedule, segment: no-such-rule }
    next: remind-2
  - id: remind-2
    type: send
    channel: sms
    template: 【示例旗舰店】hi 回T退订
    next: wait-x
exitOn: [{ event: order_paid }]
`;

describe('rekindle validate', () => {
  let rules: string;
  beforeEach(() => {
    rules = tempDir('rekindle-validate-');
    cpSync(join(EXAMPLES, 'segments'), join(rules, 'segments'), { recursive: true });
    cpSync(join(EXAMPLES, 'flows'), join(rules, 'flows'), { recursive: true });
    cpSync(join(EXAMPLES, 'coupons.yaml'), join(rules, 'coupons.yaml'));
    // The example flows wait for the shop's own events (wechat_reply), which its shop.yaml declares.
    cpSync(join(EXAMPLES, 'shop.yaml'), join(rules, 'shop.yaml'));
    // The server's public address, so the example sends' tracked links would go out absolute.
    writeFileSync(join(rules, 'channels.yaml'), 'publicBaseUrl: https://crm.shop.example.com\n');
  });
  afterEach(() => rmSync(rules, { recursive: true, force: true }));

  it('reads every file kind under rules/ with its own schema: the shipped rules/ folder has no error, only its relative links (the Double 11 campaign is the coming one: no date past on 1 Dec 2026)', async () => {
    const r = await rekindle('validate', '--rules', EXAMPLES, '--at', '2026-12-01 10:00', '--verbose', EXAMPLES);
    expect(r.stdout).toMatch(/\n\d+ files checked: 0 errors, [1-9]\d* warnings\n$/);
    expect(pastDateWarnings(r.stdout)).toHaveLength(0);
    // Its channels.yaml leaves publicBaseUrl for the shop to set: every other line is that warning.
    const lines = r.stdout.trimEnd().split('\n').slice(0, -1);
    expect(lines.filter((l) => !pastDateWarnings(l).length && !/: warning: the tracked link would go out as a relative path/.test(l))).toEqual([]);
    expect(lines.length).toBeGreaterThan(9);
    expect(r.code).toBe(0);
    // After the campaign, its 9 dates are said past.
    expect(pastDateWarnings((await rekindle('validate', '--rules', EXAMPLES, '--at', '2027-11-30 10:00', '--verbose', EXAMPLES)).stdout).filter((l) => l.includes('double11-campaign'))).toHaveLength(9);
    const json = JSON.parse((await rekindle('validate', '--rules', EXAMPLES, '--json')).stdout) as { files: { file: string }[] };
    const names = json.files.map((f) => f.file.replace(/.*rules\//, ''));
    for (const f of ['policy.yaml', 'shop.yaml', 'channels.yaml', 'coupons.yaml', 'lists/do-not-contact.txt', 'flows/double11-campaign.flow.yaml', 'segments/d11-audience.yaml']) expect(names).toContain(f);
    expect(names.some((n) => n.startsWith('schema/'))).toBe(false);
  });

  it('settings files are checked by their own schema, on the line to edit', async () => {
    writeFileSync(join(rules, 'shop.yaml'), 'name: x\ntimezone: Asia/Shanghai\nlifecycle:\n  activeDays: 90\n  silentDays: 30\n  sleepingDays: 400\n');
    writeFileSync(join(rules, 'policy.yaml'), 'caps:\n  - id: daily\n    max: 1\n    window: 24h\nsuppression:\n  lists: [vip-complaints]\n');
    writeFileSync(join(rules, 'channels.yaml'), 'channels:\n  sms: { provider: smtp }\n');
    writeFileSync(join(rules, 'coupons.yaml'), 'templates:\n  big:\n    amount: 50\n    minSpend: 30\n    validDays: 7\n');
    const r = await rekindle('validate', '--rules', rules, rules);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${join(rules, 'shop.yaml')}:3: lifecycle: thresholds must increase`);
    // The list's file in the folder given (--rules), and the command to create it there.
    expect(r.stdout).toContain(`${join(rules, 'policy.yaml')}:6: suppression.lists.0: block list "vip-complaints" has no file ${join(rules, 'lists', 'vip-complaints.txt')} (create it with rekindle lists import vip-complaints <file> --rules ${rules})`);
    expect(r.stdout).toContain(`${join(rules, 'channels.yaml')}:2: `);
    expect(r.stdout).toContain(`${join(rules, 'coupons.yaml')}:4: minSpend must be above the amount`);
    // …and never as segment rules ("unknown key caps" and the like).
    expect(r.stdout).not.toMatch(/policy\.yaml.*(conditions|unknown fact|unknown key)/);
  });

  it('coupon messages: an unknown template, a bare {{coupon}}, an amount written as text and a coupon the customer may not hold are errors', async () => {
    const file = join(rules, 'flows', 'coupons.flow.yaml');
    writeFileSync(
      file,
      [
        'id: coupons',
        'name: Coupons',
        'nodes:',
        '  - { id: start, type: entry, trigger: { type: event, event: go }, next: mail }',
        '  - { id: mail, type: send, channel: email, template: "送你{{coupon}}元券", coupon: no-such-coupon, next: sms }',
        '  - { id: sms, type: send, channel: sms, template: "您的20元券即将到期", next: other }',
        '  - { id: other, type: send, channel: sms, template: "券码{{coupon.code}}", next: done }',
        '  - { id: done, type: exit }',
        '',
      ].join('\n'),
    );
    const r = await rekindle('validate', '--rules', rules, file);
    expect(r.code).toBe(1);
    const out = r.stdout;
    expect(out).toContain(`${file}:5 node mail: coupon template "no-such-coupon" is not in rules/coupons.yaml (templates: d11-unpaid-10, d11-winback-20`);
    expect(out).toContain(`${file}:5 node mail: {{coupon}} does not say what to print: use {{coupon.code}}, {{coupon.amount}} or {{coupon.expires}}`);
    expect(out).toContain(`${file}:6 node sms: names a coupon amount as text ("20元券")`);
    expect(out).not.toContain('node other: mentions a coupon'); // reached only after "mail" issued one
    writeFileSync(file, readFileSync(file, 'utf8').replace('next: mail }', 'next: other }'));
    expect((await rekindle('validate', '--rules', rules, file)).stdout).toContain('node other: mentions a coupon the customer may not hold');
  });

  it('names the file, line and node of a {{link}} without link target, a misspelt variable and a misspelt or unknown event', async () => {
    const file = join(rules, 'flows', 'winback.flow.yaml');
    writeFileSync(
      file,
      [
        'id: winback',
        'name: Win back',
        'exitOn: [{ event: 下单 }]',
        'nodes:',
        '  - { id: start, type: entry, trigger: { type: event, event: order_creatd }, next: sms }',
        '  - id: sms',
        '    type: send',
        '    channel: sms',
        '    template: "【示例旗舰店】{{customer.nmae}}，回店看看 {{link}} 退订回T"',
        '    next: done',
        '  - { id: done, type: exit }',
        '',
      ].join('\n'),
    );
    const r = await rekindle('validate', '--rules', rules, file);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${file}:3: warning: event "下单" is neither one the system records, nor declared in rules/shop.yaml, nor seen in the shop's event log`);
    expect(r.stdout).toContain(`${file}:5 node start: event "order_creatd" is not an event the shop records: did you mean "order_created"?`);
    expect(r.stdout).toContain(`${file}:9 node sms: uses {{link}} but has no link target`);
    expect(r.stdout).toContain(`${file}:9 node sms: {{customer.nmae}} is not a message variable (customers would get an empty text in its place): did you mean {{customer.name}}?`);
    expect(r.stdout).toMatch(/1 file checked: 3 errors, 1 warning\n$/);
  });

  it("names the file, line and node of an event trigger's key the event does not carry, against the system's events' payload (with did-you-mean) and a declared event's fields", async () => {
    const file = join(rules, 'flows', 'keyed.flow.yaml');
    const flow = (trigger: string) =>
      writeFileSync(file, ['id: keyed', 'name: Keyed', 'nodes:', '  - id: start', '    type: entry', `    trigger: ${trigger}`, '    next: done', '  - { id: done, type: exit }', ''].join('\n'));
    flow('{ type: event, event: order_paid, key: orderNo }');
    let r = await rekindle('validate', '--rules', rules, file);
    expect(r.code).toBe(0); // a warning: a shop may post its own order events with more properties
    expect(r.stdout).toContain(`${file}:6 node start: warning: key "orderNo" is not a field of event "order_paid" (it carries orderId, amount, status, promotion): every journey would get the same empty key`);
    expect(r.stdout).toContain('did you mean "orderId"?');
    // rules/shop.yaml declares wechat_reply with messageId and text, no order number.
    flow('{ type: event, event: wechat_reply, key: orderId }');
    r = await rekindle('validate', '--rules', rules, file);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${file}:6 node start: warning: key "orderId" is not a field of event "wechat_reply" (it carries messageId, text as rules/shop.yaml declares it)`);
    flow('{ type: event, event: review_posted, key: orderId }');
    expect((await rekindle('validate', '--rules', rules, file)).stdout).toBe('1 file checked: 0 errors, 0 warnings\n');
  });

  it('knows the events rules/shop.yaml declares: no warning without an event log, a misspelling is an error, an undeclared one says where to declare it', async () => {
    const file = join(rules, 'flows', 'replies.flow.yaml');
    const flow = (events: string) =>
      writeFileSync(
        file,
        ['id: replies', 'name: Replies', 'nodes:', '  - { id: start, type: entry, trigger: { type: event, event: order_paid }, next: wait }', `  - { id: wait, type: waitForEvent, events: [${events}], within: 1d, responded: done, timedOut: done }`, '  - { id: done, type: exit }', ''].join('\n'),
      );
    flow('wechat_reply, review_posted');
    let r = await rekindle('validate', '--rules', rules, file);
    expect(r.stdout).toBe('1 file checked: 0 errors, 0 warnings\n');
    expect(r.code).toBe(0);
    flow('wechat_repy');
    r = await rekindle('validate', '--rules', rules, file);
    expect(r.stdout).toContain(`${file}:5 node wait: event "wechat_repy" is not an event the shop records: did you mean "wechat_reply"?`);
    expect(r.code).toBe(1);
    flow('gift_card_used');
    r = await rekindle('validate', '--rules', rules, file);
    expect(r.stdout).toContain(`${file}:5 node wait: warning: event "gift_card_used" is neither one the system records, nor declared in rules/shop.yaml`);
    expect(r.stdout).toContain('declare it in rules/shop.yaml under events: (name: gift_card_used and a description)');
    expect(r.code).toBe(0);
    // Declared, it is known.
    writeFileSync(join(rules, 'shop.yaml'), `${readFileSync(join(rules, 'shop.yaml'), 'utf8')}  - name: gift_card_used\n    description: 客户用了礼品卡\n`);
    expect((await rekindle('validate', '--rules', rules, file)).stdout).toBe('1 file checked: 0 errors, 0 warnings\n');
  });

  it('a malformed event declaration in shop.yaml is an error naming file, line and field, one slip from a system event included', async () => {
    const shop = join(rules, 'shop.yaml');
    const text = readFileSync(shop, 'utf8');
    const first = text.split('\n').length;
    writeFileSync(shop, `${text}  - name: order_piad\n    description: 付款了\n  - name: wechat_reply\n    description: again\n  - name: click\n    description: 点击\n`);
    const r = await rekindle('validate', '--rules', rules, shop);
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`${shop}:${first}: events.2.name: "order_piad" is one slip from the system event "order_paid": declared, it would hide that misspelling in every flow; if you meant "order_paid", remove this entry (the system records it), otherwise choose a name further from it`);
    expect(lines[1]).toBe(`${shop}:${first + 2}: events.3.name: "wechat_reply" is declared twice (first as events.0)`);
    expect(lines[2]).toMatch(new RegExp(`^${shop}:${first + 4}: events\\.4\\.name: "click" is a system event`));
    expect(lines[3]).toBe('1 file checked: 3 errors, 0 warnings');
    // …and a flow misspelling order_paid that way still hears "did you mean".
    const flow = join(rules, 'flows', 'paid.flow.yaml');
    writeFileSync(flow, ['id: paid', 'name: Paid', 'nodes:', '  - { id: start, type: entry, trigger: { type: event, event: order_piad }, next: done }', '  - { id: done, type: exit }', ''].join('\n'));
    expect((await rekindle('validate', '--rules', rules, flow)).stdout).toContain(`${flow}:4 node start: event "order_piad" is not an event the shop records: did you mean "order_paid"?`);
  });

  it('declares any type the event intake takes (WeChatReply, 微信回复); an empty events: declares nothing', async () => {
    const shop = join(rules, 'shop.yaml');
    writeFileSync(shop, 'name: x\nevents:\n  - name: WeChatReply\n    description: 客户在微信里回复了消息\n  - name: 微信回复\n    description: 同上\n');
    const flow = join(rules, 'flows', 'replies.flow.yaml');
    writeFileSync(flow, ['id: replies', 'name: Replies', 'nodes:', '  - { id: start, type: entry, trigger: { type: event, event: order_paid }, next: wait }', '  - { id: wait, type: waitForEvent, events: [WeChatReply, 微信回复], within: 1d, responded: done, timedOut: done }', '  - { id: done, type: exit }', ''].join('\n'));
    expect((await rekindle('validate', '--rules', rules, shop, flow)).stdout).toBe('2 files checked: 0 errors, 0 warnings\n');
    writeFileSync(shop, 'name: x\nevents:\n');
    expect((await rekindle('validate', '--rules', rules, shop)).stdout).toBe('1 file checked: 0 errors, 0 warnings\n');
  });

  it('a YAML syntax error in shop.yaml: the flow says its events cannot be checked, once, instead of calling each undeclared', async () => {
    const shop = join(rules, 'shop.yaml');
    writeFileSync(shop, `${readFileSync(shop, 'utf8')}  - name: gift_card_used\n    description: [unclosed\n`);
    const flow = join(rules, 'flows', 'replies.flow.yaml');
    writeFileSync(flow, ['id: replies', 'name: Replies', 'nodes:', '  - { id: start, type: entry, trigger: { type: event, event: order_paid }, next: wait }', '  - { id: wait, type: waitForEvent, events: [wechat_reply, wechat_repy], within: 1d, responded: done, timedOut: done }', '  - { id: done, type: exit }', ''].join('\n'));
    const r = await rekindle('validate', '--rules', rules, shop, flow);
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(new RegExp(`^${shop}:\\d+: `));
    expect(lines[1]).toMatch(new RegExp(`^${flow}:5 node wait: the shop's own events cannot be checked \\("wechat_reply", "wechat_repy" here\\): rules/shop\\.yaml, where they are declared, could not be read \\(line \\d+: .*\\); fix rules/shop\\.yaml first$`));
    expect(lines[lines.length - 1]).toMatch(/^2 files checked: \d+ errors?, 0 warnings$/);
  });

  it('warns of each send whose tracked link would go out relative (no publicBaseUrl), on its link: or {{link}} line', async () => {
    writeFileSync(join(rules, 'channels.yaml'), '# publicBaseUrl: https://crm.shop.example.com\nchannels:\n  sms: { provider: outbox-only }\n');
    const file = join(rules, 'flows', 'linked.flow.yaml');
    const flow = ['id: linked', 'name: Linked', 'nodes:', '  - { id: start, type: entry, trigger: { type: event, event: order_paid }, next: remind }', '  - id: remind', '    type: send', '    channel: sms', '    template: "【示例旗舰店】回店看看 {{link}} 回T退订"', '    link: https://shop.example.com/cart', '    next: plain', '  - { id: plain, type: send, channel: sms, template: 【示例旗舰店】谢谢 回T退订, next: done }', '  - { id: done, type: exit, goal: true }', ''].join('\n');
    writeFileSync(file, flow);
    const r = await rekindle('validate', '--rules', rules, file);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${file}:9 node remind: warning: the tracked link would go out as a relative path (/r/…) that customers cannot open: set publicBaseUrl in rules/channels.yaml (e.g. https://crm.shop.example.com)\n1 file checked: 0 errors, 1 warning\n`);
    // REKINDLE_PUBLIC_BASE_URL (npm start's own address) stands in for it, as on the server.
    process.env.REKINDLE_PUBLIC_BASE_URL = 'http://127.0.0.1:3000';
    try {
      expect((await rekindle('validate', '--rules', rules, file)).stdout).toBe('1 file checked: 0 errors, 0 warnings\n');
    } finally {
      delete process.env.REKINDLE_PUBLIC_BASE_URL;
    }
    // Set, the links go out absolute: nothing to say.
    writeFileSync(join(rules, 'channels.yaml'), 'publicBaseUrl: https://crm.shop.example.com\n');
    expect((await rekindle('validate', '--rules', rules, file)).stdout).toBe('1 file checked: 0 errors, 0 warnings\n');
  });

  it('exits 0 and says so when everything is valid', async () => {
    const r = await rekindle('validate', '--rules', rules, '--verbose', '--at', '2027-11-30 10:00');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    // After the Double 11 campaign (Oct–Nov 2027), its 9 dates are past, and the new product's launch
    // (April 2027): warnings, never errors (exit 0).
    expect(r.stdout).toMatch(/files checked: 0 errors, 10 warnings\n$/);
    expect(r.stdout.split('\n').slice(0, -2).every((l) => /(double11-campaign|new-product-launch)\.flow\.yaml:\d+ node [\w-]+: warning: (startAt|untilDate) .* is already past/.test(l))).toBe(true);
  });

  it("a newcomer's first validate of the shipped rules says each cause once: the Double 11 campaign's 9 past dates, the 24 sends' relative links", async () => {
    const r = await rekindle('validate', '--rules', EXAMPLES, '--at', '2027-11-30 10:00', EXAMPLES);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    // Paths as every command shows them: relative to the working folder (rules/…).
    const shipped = relative(process.cwd(), EXAMPLES);
    const flows = join(shipped, 'flows');
    expect(lines).toEqual([
      // A cause met once in a file is said as it is (the new product's launch, April 2027).
      expect.stringMatching(new RegExp(`^${flows}/new-product-launch.flow.yaml:20 node start: warning: startAt 2027-04-20 10:00 \\+08:00 is already past`)),
      `${flows}/double11-campaign.flow.yaml: warning: 9 dates of double11-campaign are already past (2027-10-27 to 2027-11-10; now 2027-11-30 10:00 +08:00): published as it is, everyone would enter at once and each dated wait pass at once; move them to the coming season, or check the flow as of a day before them with validate --at 2027-10-27`,
      '  41 start, 134 wait-wave1-email, 149 wait-wave1-sms, 170 wait-midnight, 185 wait-unpaid-email, 200 wait-unpaid-sms, 222 wait-winback-email, 238 wait-winback-sms, 255 wait-deep-email',
      `${shipped}/channels.yaml: warning: 24 sends in 6 flows will carry relative links (/r/…) that customers cannot open, because ${shipped}/channels.yaml has no publicBaseUrl: set it to the address customers reach this server at (e.g. https://crm.shop.example.com)`,
      `  ${flows}/double11-campaign.flow.yaml: 144 wave1-email, 158 wave1-sms, 179 midnight-push, 195 unpaid-email, 215 unpaid-sms, 232 winback-email, 248 winback-sms, 266 deep-email`,
      `  ${flows}/new-product-launch.flow.yaml: 95 preview-email, 104 early-sms, 115 complementary, 124 promo-coupon`,
      `  ${flows}/payment-reminder.flow.yaml: 55 remind-1-wangwang, 64 remind-1-sms, 81 remind-2`,
      `  ${flows}/post-purchase-care.flow.yaml: 66 shipping-notice, 98 quality-care`,
      `  ${flows}/pre-sleep.flow.yaml: 32 reminder, 54 last-email`,
      `  ${flows}/sleeping-reactivation.flow.yaml: 51 coupon-1, 62 emotional-1, 71 spend-get-1, 82 reminder-1, 103 second-touch`,
      '(warnings of one cause are said once; --verbose lists each on its own line, --json lists each)',
      expect.stringMatching(/^\d+ files checked: 0 errors, 34 warnings$/),
    ]);
    // --json still lists each warning, with its cause for tools to group on.
    const json = JSON.parse((await rekindle('validate', '--rules', EXAMPLES, '--at', '2027-11-30 10:00', '--json')).stdout) as { warnings: number; files: { problems: { cause?: string }[] }[] };
    const causes = json.files.flatMap((f) => f.problems.map((p) => p.cause));
    expect(json.warnings).toBe(34);
    expect(causes.filter((c) => c === 'past-date')).toHaveLength(10);
    expect(causes.filter((c) => c === 'relative-link')).toHaveLength(24);
  });

  it('--at judges dates as of that instant (shop time, as other commands read it): CI checks a campaign as of its launch; a bad value names --at', async () => {
    const file = join(rules, 'flows', 'double11-campaign.flow.yaml');
    // The day before the audience enters: nothing is past.
    expect((await rekindle('validate', '--rules', rules, '--at', '2027-10-27', file)).stdout).toBe('1 file checked: 0 errors, 0 warnings\n');
    // 2 November: the start and the first two waves are behind (one line, then their places).
    const r = await rekindle('validate', '--rules', rules, '--at', '2027-11-02T00:00:00+08:00', file);
    expect(r.stdout.split('\n').slice(0, 2)).toEqual([
      `${file}: warning: 3 dates of double11-campaign are already past (2027-10-27 to 2027-11-01; now 2027-11-02 00:00 +08:00): published as it is, everyone would enter at once and each dated wait pass at once; move them to the coming season, or check the flow as of a day before them with validate --at 2027-10-27`,
      '  41 start, 134 wait-wave1-email, 149 wait-wave1-sms',
    ]);
    expect(r.code).toBe(0);
    // Without an offset, the shop's wall clock (Asia/Shanghai), whatever the machine's zone: 09:00 is not past at 09:00.
    expect((await rekindle('validate', '--rules', rules, '--verbose', '--at', '2027-10-27 09:00', file)).stdout).toBe('1 file checked: 0 errors, 0 warnings\n');
    expect((await rekindle('validate', '--rules', rules, '--verbose', '--at', '2027-10-27 09:01', file)).stdout).toMatch(/:41 node start: warning: startAt 2027-10-27 09:00 \+08:00 is already past \(now 2027-10-27 09:01 \+08:00\)/);
    for (const bad of ['2026-13-01', 'yesterday']) {
      const b = await rekindle('validate', '--rules', rules, '--at', bad, file);
      expect(b.code).toBe(1);
      expect(b.stdout).toBe('');
      expect(b.stderr).toBe(`error: --at: "${bad}" is not an ISO-8601 date or time (e.g. 2026-11-01, 2026-11-01 09:00 in the shop's time zone Asia/Shanghai, or 2026-11-01T09:00:00+08:00)\n`);
    }
  });

  it('warns, naming line, node and field, of an audience start and a wait date already past: everyone would enter at once, the wait passes at once', async () => {
    const file = join(rules, 'flows', 'd11-copy.flow.yaml');
    const flow = (year: number) =>
      writeFileSync(
        file,
        [
          'id: d11-copy',
          'name: 双十一大促 copy',
          'nodes:',
          `  - { id: start, type: entry, trigger: { type: audience, segment: d11-audience, startAt: "${year}-10-27T09:00:00+08:00" }, next: wait-d11 }`,
          `  - { id: wait-d11, type: wait, untilDate: "${year}-11-11T00:00:00+08:00", next: early }`,
          `  - { id: early, type: wait, untilDate: "${year}-10-01T00:00:00+08:00", next: done }`,
          '  - { id: done, type: exit }',
          '',
        ].join('\n'),
      );
    flow(2025);
    let r = await rekindle('validate', '--rules', rules, '--verbose', file);
    expect(r.stdout).toContain(`${file}:4 node start: warning: startAt 2025-10-27 09:00 +08:00 is already past (now `);
    expect(r.stdout).toContain('customers would all enter at once on publishing');
    expect(r.stdout).toContain(`${file}:5 node wait-d11: warning: untilDate 2025-11-11 00:00 +08:00 is already past (now `);
    expect(r.stdout).toContain('the wait passes at once');
    // A wait dated before the start it follows never waits, whatever today is: an error.
    expect(r.stdout).toContain(`${file}:6 node early: untilDate 2025-10-01 00:00 +08:00 is before the audience startAt 2025-10-27 09:00 +08:00 it follows`);
    expect(r.stdout).toContain('1 file checked: 1 error, 2 warnings');
    expect(r.code).toBe(1);
    // Next year's season: no warning about dates still ahead; the misordered wait stays an error.
    flow(new Date().getUTCFullYear() + 1);
    r = await rekindle('validate', '--rules', rules, file);
    expect(r.stdout).toMatch(/1 file checked: 1 error, 0 warnings\n$/);
  });

  it('prints every problem as file:line node id: message and exits 1', async () => {
    const file = join(rules, 'flows', 'broken.flow.yaml');
    writeFileSync(file, BROKEN);
    const r = await rekindle('validate', '--rules', rules, file);
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(new RegExp(`^${file}:6 node start: unknown rule "no-such-rule" \\(no rules/segments/no-such-rule.yaml; known: .*d11-audience`));
    expect(lines[1]).toBe(`${file}:12 node remind-2: edge "next" points to missing node "wait-x"`);
    expect(lines[2]).toBe('1 file checked: 2 errors, 0 warnings');
    expect(r.stderr).toBe('error: validation failed: 2 errors\n');
  });

  it('--json prints {files: [{file, problems: [{line, nodeId, path, message, severity}]}], errors}', async () => {
    const file = join(rules, 'flows', 'broken.flow.yaml');
    writeFileSync(file, BROKEN);
    const r = await rekindle('validate', '--rules', rules, '--json', join(rules, 'flows'));
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.errors).toBe(2);
    const broken = out.files.find((f: { file: string }) => f.file === file);
    expect(broken.problems).toEqual([
      { line: 6, nodeId: 'start', path: 'nodes.0.trigger.segment', message: expect.stringContaining('unknown rule "no-such-rule"'), severity: 'error' },
      { line: 12, nodeId: 'remind-2', path: 'nodes.1.next', message: 'edge "next" points to missing node "wait-x"', severity: 'error' },
    ]);
    // The other files have no error (the Double 11 campaign warns of its past dates only).
    expect(out.files.filter((f: { problems: { severity: string }[] }) => f.problems.some((p) => p.severity === 'error'))).toHaveLength(1);
  });

  it('checks rule files in rules/segments/ too, with their line', async () => {
    writeFileSync(join(rules, 'segments', 'typo.yaml'), 'name: typo\nconditions:\n  all:\n    - fact: orderCont\n      operator: equal\n      value: 1\n');
    const r = await rekindle('validate', '--rules', rules, '--json');
    expect(r.code).toBe(1);
    const typo = JSON.parse(r.stdout).files.find((f: { file: string }) => f.file.endsWith('typo.yaml'));
    expect(typo.problems).toEqual([expect.objectContaining({ line: 4, message: expect.stringContaining('unknown fact "orderCont"') })]);
  });

  it('warns about a layout position for a node the flow does not have, without failing', async () => {
    const layout = join(rules, 'flows', 'payment-reminder.layout.yaml');
    const before = readFileSync(layout, 'utf8');
    writeFileSync(layout, before + '  zz-gone:\n    x: 1\n    y: 2\n');
    const line = before.split('\n').length; // the new key's line
    const r = await rekindle('validate', '--rules', rules, join(rules, 'flows', 'payment-reminder.flow.yaml'));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${layout}:${line} node zz-gone: warning: position for node "zz-gone", which flow "payment-reminder" does not have`);
  });

  it('names the step a stale layout position most likely meant (did you mean), and still checks the layout when the flow itself has a schema error', async () => {
    const layout = join(rules, 'flows', 'payment-reminder.layout.yaml');
    const before = readFileSync(layout, 'utf8');
    writeFileSync(layout, before.replace('positions:\n', 'positions:\n  ghost-node:\n    x: 1\n    y: 2\n  wait2h:\n    x: 3\n    y: 4\n'));
    const lines = readFileSync(layout, 'utf8').split('\n');
    const lineOf = (key: string) => lines.indexOf(`  ${key}:`) + 1;
    // A typo in the flow (its schema fails): the layout is checked against the steps it does have.
    const flow = join(rules, 'flows', 'payment-reminder.flow.yaml');
    writeFileSync(flow, readFileSync(flow, 'utf8').replace('    duration: 2h', '    duraton: 2h'));
    const r = await rekindle('validate', '--rules', rules, layout);
    expect(r.stdout).toContain(`${layout}:${lineOf('ghost-node')} node ghost-node: warning: position for node "ghost-node", which flow "payment-reminder" does not have; remove it`);
    expect(r.stdout).toContain(`${layout}:${lineOf('wait2h')} node wait2h: warning: position for node "wait2h", which flow "payment-reminder" does not have (did you mean "wait-2h"?)`);
    expect(r.stdout).toContain('2 warnings');
    expect(r.code).toBe(0);
  });

  it('warns about a layout file whose flow file does not exist', async () => {
    const orphan = join(rules, 'flows', 'payment-remindr.layout.yaml');
    cpSync(join(rules, 'flows', 'payment-reminder.layout.yaml'), orphan);
    const r = await rekindle('validate', '--rules', rules, orphan);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${orphan}:1: warning: layout without a flow: there is no payment-remindr.flow.yaml beside it`);
  });

  it('refuses a path that does not exist', async () => {
    const r = await rekindle('validate', '--rules', rules, join(rules, 'nope.flow.yaml'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/nope\.flow\.yaml: no such file or folder/);
  });
});

describe('rekindle schema', () => {
  let rules: string;
  beforeEach(() => {
    rules = tempDir('rekindle-schema-');
  });
  afterEach(() => rmSync(rules, { recursive: true, force: true }));

  it('writes flow.schema.json and layout.schema.json; --check passes after and fails on drift', async () => {
    expect((await rekindle('schema', '--rules', rules, '--check')).code).toBe(1);
    const w = await rekindle('schema', '--rules', rules);
    expect(w.code).toBe(0);
    expect(readFileSync(join(rules, 'schema', 'flow.schema.json'), 'utf8')).toBe(schemaFileText('flow.schema.json'));
    expect(existsSync(join(rules, 'schema', 'layout.schema.json'))).toBe(true);
    expect((await rekindle('schema', '--rules', rules, '--check')).code).toBe(0);
    writeFileSync(join(rules, 'schema', 'layout.schema.json'), '{}\n');
    const c = await rekindle('schema', '--rules', rules, '--check');
    expect(c.code).toBe(1);
    expect(c.stdout).toContain('layout.schema.json: OUT OF DATE');
  });
});
