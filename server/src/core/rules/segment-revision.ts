import { createHash } from 'node:crypto';

/**
 * A segment file's revision: a hash of its text as it is on disk. GET /api/segments gives it with
 * each segment and PUT /api/segments/:name takes it back, so an edit made on an older text (another
 * person saved in between, or a git pull) is refused instead of silently undoing theirs.
 */
export function segmentRevision(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}
