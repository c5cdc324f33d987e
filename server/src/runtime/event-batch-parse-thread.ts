/**
 * Entry point of the event batch parser thread (started by event-batch-parser.ts): decodes,
 * parses and validates the bodies of `POST /api/events` batches, so the request thread, which
 * also runs every request's SQL and answers, only writes the events. Each message is one body's
 * bytes; the answer is its columns, or null when it is not an array of events the thread can
 * take (the request thread then handles the body itself, as before).
 */
import { parentPort } from 'node:worker_threads';
import { eventBatchColumns, parseEventBatch, type EventBatchColumns } from '../core/data/event-batch.js';
import { parseJsonListInPieces } from './json-list-pieces.js';

export interface ToEventBatchParser {
  id: number;
  bytes: Uint8Array;
  timezone: string;
  max: number;
}
export interface FromEventBatchParser {
  id: number;
  columns: EventBatchColumns | null;
}

const port = parentPort!;
port.on('message', (m: ToEventBatchParser) => {
  let columns: EventBatchColumns | null = null;
  try {
    // As the request thread reads a body (events-fast-path.ts readBody): UTF-8, a byte order mark dropped.
    const bytes = Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength);
    // An ASCII list parsed in pieces (no string of the whole body: json-list-pieces.ts); anything
    // else, or a list it cannot cut, the whole text at once.
    const list = parseJsonListInPieces(bytes);
    if (list) columns = eventBatchColumns(list, m.timezone, m.max);
    else {
      const text = bytes.toString('utf8');
      columns = parseEventBatch(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, m.timezone, m.max);
    }
  } catch {
    columns = null; // anything unexpected: the request thread's own way decides
  }
  port.postMessage({ id: m.id, columns } satisfies FromEventBatchParser);
});
