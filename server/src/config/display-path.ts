import { isAbsolute, relative, resolve } from 'node:path';

/**
 * A file as the CLI shows it: relative to the working folder when inside it, else absolute.
 * Never `../../tmp/…`: validate, publish and the other commands name a file the same way, so a
 * path from one can be pasted into another (and a folder outside the checkout stays readable).
 */
export function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : resolve(file);
}
