// Main-thread cost of moving one stepping batch (1,000 enrollments at a send node) to a thread and its results back:
// (a) structured clone of the objects, (b) typed arrays (transfer) + one string table.
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
const N = 1000, ROUNDS = 300;
const body = '亲爱的会员，双十一预售已开启，您的专属优惠券 {code} 已到账，点击 https://s.example.cn/l/abcdefghijkl 查看详情。退订回T';
const mkEnr = (i) => ({ id: 500000 + i, flowId: 3, versionId: 7, customerId: 100000 + i, journeyKey: 'c:' + (100000 + i), nodeId: 'sms-presale', status: 'active', enteredAt: 1793000000000, nodeEnteredAt: 1793000000000 + i, wakeAt: null, stepCount: 3, arm: null, groupLabel: 'g-' + (i % 16) });
const mkCust = (i) => ({ id: 100000 + i, externalId: 'C' + (100000 + i), name: '张' + i, email: `u${i}@example.cn`, phone: '138' + String(i).padStart(8, '0'), smsOptIn: true, emailOptIn: true });
const mkFacts = (i) => ({ ordersCount: i % 7, lastOrderAt: 1790000000000 + i, totalSpent: 1234.5 + i, vip: i % 3 === 0, season: 'double11', daysSinceOrder: i % 90, cartOpen: i % 2 === 0, tier: 'gold' });
const mkOut = (i) => ({
  update: { id: 500000 + i, nodeId: 'wait-2d', status: 'active', nodeEnteredAt: 1793000003600000, wakeAt: 1793172800000, stepCount: 4, arm: null, waitingFor: null, exitReason: null, groupLabel: undefined },
  log: { enrollmentId: 500000 + i, customerId: 100000 + i, flowId: 3, versionId: 7, nodeId: 'sms-presale', at: 1793000003600000, outcome: 'sent', detail: null },
  send: { kind: 'send', send: { enrollmentId: 500000 + i, customerId: 100000 + i, flowId: 3, nodeId: 'sms-presale', channel: 'sms', category: 'marketing', status: 'queued', reason: null, subject: null, body: body.replace('{code}', 'D11-' + i.toString(36)), to: '138' + String(i).padStart(8, '0'), linkToken: 'abcdefghijkl' + i, couponCode: 'D11-' + i.toString(36), scheduledAt: 1793000003600000 } },
});
const enr = Array.from({ length: N }, (_, i) => mkEnr(i)), cust = Array.from({ length: N }, (_, i) => mkCust(i)), facts = Array.from({ length: N }, (_, i) => mkFacts(i));
const out = Array.from({ length: N }, (_, i) => mkOut(i));
const { port1, port2 } = new MessageChannel();
const t = () => process.hrtime.bigint();
function bench(name, fn) { for (let i = 0; i < 50; i++) fn(); const t0 = t(); for (let i = 0; i < ROUNDS; i++) fn(); const us = Number(t() - t0) / 1000 / ROUNDS; console.log(`${name.padEnd(62)} ${(us / 1000).toFixed(2)} ms a batch = ${(us / N).toFixed(2)} µs an enrollment`); return us; }
// (a) clone: main posts inputs (serialize on main); main receives outputs (deserialize on main)
const a1 = bench('(a) clone: post inputs (enrollments+customers+facts)', () => { port1.postMessage({ enr, cust, facts }); receiveMessageOnPort(port2); });
const a1s = bench('    of which serialize only (post)', () => { port1.postMessage({ enr, cust, facts }); });
while (receiveMessageOnPort(port2)); 
const a2 = bench('(a) clone: results (updates+logs+sends) post+receive', () => { port2.postMessage(out); receiveMessageOnPort(port1); });
// (b) typed: inputs packed as Float64Array columns + string dictionary
const strIds = new Map(); const strs = [];
const sid = (s) => { if (s == null) return -1; let k = strIds.get(s); if (k === undefined) { strIds.set(s, (k = strs.length)); strs.push(s); } return k; };
const b1 = bench('(b) typed: encode inputs + transfer', () => {
  const f = new Float64Array(N * 20);
  for (let i = 0; i < N; i++) { const e = enr[i], c = cust[i], x = facts[i], o = i * 20;
    f[o] = e.id; f[o+1] = e.flowId; f[o+2] = e.versionId; f[o+3] = e.customerId; f[o+4] = sid(e.journeyKey); f[o+5] = sid(e.nodeId); f[o+6] = sid(e.status); f[o+7] = e.enteredAt; f[o+8] = e.nodeEnteredAt; f[o+9] = e.wakeAt ?? NaN; f[o+10] = e.stepCount; f[o+11] = sid(e.arm); f[o+12] = sid(e.groupLabel);
    f[o+13] = x.ordersCount; f[o+14] = x.lastOrderAt; f[o+15] = x.totalSpent; f[o+16] = x.vip ? 1 : 0; f[o+17] = x.daysSinceOrder; f[o+18] = sid(c.phone); f[o+19] = sid(c.email); }
  port1.postMessage({ f, strs: strs.splice(0) }, [f.buffer]); strIds.clear(); receiveMessageOnPort(port2);
});
// outputs packed by the thread; main decodes into the objects commitStep takes
const packOut = () => { const f = new Float64Array(N * 12); const texts = []; for (let i = 0; i < N; i++) { const o = out[i], q = i * 12; f[q] = o.update.id; f[q+1] = o.update.wakeAt; f[q+2] = o.update.stepCount; f[q+3] = o.update.nodeEnteredAt; f[q+4] = o.send.send.customerId; f[q+5] = o.send.send.scheduledAt; texts.push(o.send.send.body, o.send.send.to, o.send.send.linkToken, o.send.send.couponCode); } return { f, text: texts.join('\u0000') }; };
const packed = packOut();
const b2 = bench('(b) typed: receive results + decode to update/log/send objects', () => {
  const copy = new Float64Array(packed.f); port2.postMessage({ f: copy, text: packed.text }, [copy.buffer]);
  const m = receiveMessageOnPort(port1).message; const f = m.f; const parts = m.text.split('\u0000'); const ups = new Array(N), logs = new Array(N), sends = new Array(N);
  for (let i = 0; i < N; i++) { const q = i * 12;
    ups[i] = { id: f[q], nodeId: 'wait-2d', status: 'active', nodeEnteredAt: f[q+3], wakeAt: f[q+1], stepCount: f[q+2], arm: null, waitingFor: null, exitReason: null, groupLabel: undefined };
    logs[i] = { enrollmentId: f[q], customerId: f[q+4], flowId: 3, versionId: 7, nodeId: 'sms-presale', at: f[q+3], outcome: 'sent', detail: null };
    sends[i] = { kind: 'send', send: { enrollmentId: f[q], customerId: f[q+4], flowId: 3, nodeId: 'sms-presale', channel: 'sms', category: 'marketing', status: 'queued', reason: null, subject: null, body: parts[i*4], to: parts[i*4+1], linkToken: parts[i*4+2], couponCode: parts[i*4+3], scheduledAt: f[q+5] } }; }
});
console.log(`round trip per enrollment: clone ${((a1 + a2) / N).toFixed(2)} µs, typed ${((b1 + b2) / N).toFixed(2)} µs`);
port1.close(); port2.close();
