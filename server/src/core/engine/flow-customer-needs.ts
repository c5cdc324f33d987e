import type { Customer } from '../data/model.js';
import { MESSAGE_VARIABLES } from './message-vars.js';
import type { FlowVersion } from './model.js';
import { templatePaths } from './template.js';

/**
 * What every send node reads of its customers whatever its message says: whether they are there,
 * their consent and addresses (contactAddress: phone, email, WeChat id, the external id for
 * wangwang, the device for push), and the external id the policy's block lists name.
 */
const SEND_READS: readonly (keyof Customer)[] = ['id', 'externalId', 'phone', 'email', 'wechatId', 'device', 'consent'];

const byVersion = new WeakMap<FlowVersion, readonly (keyof Customer)[] | null>();

/**
 * The customer fields a stepping batch of this flow version reads (the send executor is the only
 * node that reads ctx.customers), or null for all of them: SEND_READS plus what its messages name
 * as `{{customer.x}}`. Null when a message names `{{customer}}` itself or a name that is not a
 * customer field. Why: the batch's customer read carried every column — tags, attributes (two
 * JSON texts parsed per customer), province, city — for messages that name the customer's name
 * only (bench/engine). Kept per version (its nodes never change).
 */
export function customerFieldsReadBy(version: FlowVersion): readonly (keyof Customer)[] | null {
  if (byVersion.has(version)) return byVersion.get(version)!;
  const fields = new Set<keyof Customer>(SEND_READS);
  let all = false;
  for (const node of version.flow.nodes) {
    if (node.type !== 'send') continue;
    for (const path of [node.template, node.subject ?? ''].flatMap((t) => templatePaths(t))) {
      if (path !== 'customer' && !path.startsWith('customer.')) continue;
      const field = path.split('.')[1];
      if (field === undefined || !Object.hasOwn(MESSAGE_VARIABLES.customer, field)) all = true;
      else fields.add(field as keyof Customer);
    }
  }
  const out = all ? null : [...fields].sort();
  byVersion.set(version, out);
  return out;
}

/** The union of customerFieldsReadBy over a batch's versions; null (all) if any version reads all. */
export function customerFieldsReadByAll(versions: Iterable<FlowVersion>): readonly (keyof Customer)[] | null {
  const union = new Set<keyof Customer>();
  for (const v of versions) {
    const fields = customerFieldsReadBy(v);
    if (fields === null) return null;
    for (const f of fields) union.add(f);
  }
  return [...union].sort();
}
