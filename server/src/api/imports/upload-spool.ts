import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform, type Readable } from 'node:stream';
import { PayloadTooLargeException } from '@nestjs/common';

/** Largest upload accepted by POST /api/import/* (CSV / NDJSON). */
export const MAX_IMPORT_BYTES = 200 * 1024 * 1024;

/**
 * Spools an upload to a private temp file (bounded memory, bounded size) so it can be checked
 * whole — encoding, CSV syntax — before any row is committed, then streamed into the importer.
 */
export async function spoolUpload(req: Readable, limit = MAX_IMPORT_BYTES): Promise<{ file: string; remove(): void }> {
  const dir = join(tmpdir(), 'rekindle-uploads');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, `${process.pid}-${randomUUID()}`);
  const remove = () => rmSync(file, { force: true });
  let size = 0;
  const cap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      size += chunk.length;
      if (size > limit) cb(new PayloadTooLargeException(`body: larger than ${Math.round(limit / 1024 / 1024)} MB; split the file`));
      else cb(null, chunk);
    },
  });
  try {
    await pipeline(req, cap, createWriteStream(file, { mode: 0o600 }));
  } catch (e) {
    remove();
    throw e;
  }
  return { file, remove };
}
