import { closeSync, openSync, readSync } from 'node:fs';

/**
 * How many frames of a SQLite WAL are not yet copied back into the database file, read from the
 * wal-index (the `-shm` file every connection maps) without touching any lock: the index
 * header's mxFrame (the last committed frame, byte 16) minus the checkpoint info's nBackfill
 * (frames copied back, byte 96), both 32-bit in the machine's byte order
 * (https://www.sqlite.org/walformat.html, "The WAL-Index Header").
 *
 * Why not a checkpoint: finding out that way copies the frames, which is exactly the work the WAL
 * checkpointer must not do while it holds the writers' lock (wal-checkpointer-thread.ts). Read
 * without SQLite's locks, a value may be a commit old; it is only used to decide whether to copy.
 */
export class WalIndexReader {
  private fd: number | null = null;
  private readonly buf = Buffer.alloc(100);

  constructor(private readonly databaseFile: string) {}

  /** mxFrame − nBackfill, or null when there is no wal-index to read (no WAL yet, another journal mode). */
  uncopiedFrames(): number | null {
    try {
      this.fd ??= openSync(`${this.databaseFile}-shm`, 'r');
      if (readSync(this.fd, this.buf, 0, 100, 0) < 100) return null;
      const le = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
      const u32 = (at: number) => (le ? this.buf.readUInt32LE(at) : this.buf.readUInt32BE(at));
      return Math.max(0, u32(16) - u32(96));
    } catch {
      this.close();
      return null;
    }
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
