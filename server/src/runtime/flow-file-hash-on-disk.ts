import { statSync } from 'node:fs';
import { NotUtf8Error, readRulesFile } from '../core/text/rules-file-text.js';
import { parseFlowFile } from '../core/flow/flow-file.js';
import { flowHash } from '../persistence/flow-repository.js';

/**
 * The flowHash of rules/flows/<id>.flow.yaml as it is on disk now (null: the file does not read as
 * a flow; undefined: no file), parsed again only when the file's size or modification time
 * changed. GET /api/flows and /api/home say for every flow whether its file differs from the live
 * version (`fileChanged`), and the designer asks at every editor open: each call parsed every flow
 * file in full. One stat a file now, as segment-rules-on-disk.ts does for the segments.
 */
const seen = new Map<string, { stamp: string; hash: string | null }>();

export function flowFileHashOnDisk(file: string): string | null | undefined {
  let stamp: string;
  try {
    const s = statSync(file);
    stamp = `${s.size}:${s.mtimeMs}:${s.ino}`;
  } catch {
    seen.delete(file);
    return undefined;
  }
  const known = seen.get(file);
  if (known?.stamp === stamp) return known.hash;
  let text: string | null;
  try {
    text = readRulesFile(file);
  } catch (e) {
    if (!(e instanceof NotUtf8Error)) return undefined; // removed between the stat and the read
    text = null; // not UTF-8: it does not read as a flow (validate and publishing say why)
  }
  if (text === null) {
    seen.set(file, { stamp, hash: null });
    return null;
  }
  const { flow } = parseFlowFile(text, file);
  const hash = flow ? flowHash(flow) : null;
  seen.set(file, { stamp, hash });
  return hash;
}
