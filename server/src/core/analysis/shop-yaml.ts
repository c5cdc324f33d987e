import { isMap, isScalar, parseDocument } from 'yaml';
import { LifecycleThresholdsSchema, type LifecycleThresholds } from '../shop-config.js';

/**
 * Rewrites the `lifecycle` block of shop.yaml's text with new thresholds, through the yaml
 * Document API so the file's comments (the ones explaining each threshold), key order and the
 * rest of the file stay as the shop wrote them. Returns the new text; pure.
 */
export function withLifecycleThresholds(text: string, thresholds: LifecycleThresholds): string {
  LifecycleThresholdsSchema.parse(thresholds);
  const doc = parseDocument(text);
  if (doc.errors.length) throw new Error(`shop.yaml is not valid YAML: ${doc.errors[0].message}`);
  if (doc.contents === null) return `lifecycle:\n  activeDays: ${thresholds.activeDays}\n  silentDays: ${thresholds.silentDays}\n  sleepingDays: ${thresholds.sleepingDays}\n`;
  if (!isMap(doc.contents)) throw new Error('shop.yaml: the top level must be a mapping');
  const block = doc.get('lifecycle');
  if (block !== undefined && !isMap(block)) throw new Error('shop.yaml: lifecycle must be a mapping');
  for (const key of ['activeDays', 'silentDays', 'sleepingDays'] as const) {
    const old = doc.getIn(['lifecycle', key], true);
    const before = isScalar(old) ? old.value : undefined;
    // setIn on an existing scalar keeps its node, hence its trailing comment.
    doc.setIn(['lifecycle', key], thresholds[key]);
    // That comment usually restates the number (`activeDays: 27  # recencyDays <= 27: active`):
    // kept as it was, the file read `activeDays: 59 # recencyDays <= 27: active`, the comment
    // contradicting the value beside it. The old number in it becomes the new one.
    const node = doc.getIn(['lifecycle', key], true);
    if (isScalar(node) && node.comment && typeof before === 'number' && before !== thresholds[key]) {
      node.comment = node.comment.replace(new RegExp(`(?<![\\d.])${before}(?![\\d.])`, 'g'), String(thresholds[key]));
    }
  }
  return doc.toString();
}
