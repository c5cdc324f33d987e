import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';

/**
 * The text of a file under rules/ (segments, flows, layouts, policy.yaml, shop.yaml,
 * channels.yaml, coupons.yaml, block lists): strictly UTF-8, a leading BOM dropped. Every loader
 * reads the shop's files through here, so they all refuse the same files the same way.
 *
 * Why strict: `readFileSync(file, 'utf8')` turns each byte that is not UTF-8 into U+FFFD without a
 * word. A segment saved as GBK by an editor on Windows validated clean, selected 0 customers
 * (`value: 广东` became `value: ��`), and a GBK flow published and sent SMS bodies of "���ã�".
 *
 * Why refuse rather than convert (GBK/GB18030 would decode cleanly, as data imports do in
 * core/data/import/text-encoding.ts): these files live in git. A file the server reads as GBK is
 * garbage in every diff, review and editor that reads UTF-8; the designer writes flows and
 * segments back as UTF-8, so the next save would change every line of it; and whether a byte
 * sequence "is GBK" is a guess (most byte strings decode as GB18030). Converting once, in the
 * developer's hands, leaves one encoding in the repository. Uploaded data files are another
 * matter: they are read once and not kept.
 */
export class NotUtf8Error extends Error {
  constructor(
    /** The file as messages name it. */
    readonly file: string,
    /** The first line (1-based) holding bytes that are not UTF-8. */
    readonly line: number,
    /** What is wrong and how to fix it, without the file and line (problem lists say them apart). */
    readonly reason: string,
  ) {
    super(`${file}:${line}: ${reason}`);
  }
}

// fatal: throw at the first malformed byte instead of inventing U+FFFD; ignoreBOM false (the
// default): a UTF-8 BOM (Notepad's "UTF-8 with BOM") is taken off, not kept as text.
const strictUtf8 = () => new TextDecoder('utf-8', { fatal: true });

/**
 * Reads `file` as strict UTF-8 (see NotUtf8Error); `shown`: how messages name it. `refuse`: the
 * loader's own error for a file that is not UTF-8 (a PolicyError, a RuleFileError…), thrown instead,
 * so each loader's callers handle it as any other mistake in that file.
 */
export function readRulesFile(file: string, shown: string = file, refuse?: (e: NotUtf8Error) => Error): string {
  const bytes = readFileSync(file);
  try {
    return decodeRulesText(bytes, shown);
  } catch (e) {
    throw refuse && e instanceof NotUtf8Error ? refuse(e) : e;
  }
}

/** `bytes` as strict UTF-8 text; throws NotUtf8Error naming `shown` and the first bad line. */
export function decodeRulesText(bytes: Uint8Array, shown: string): string {
  try {
    return strictUtf8().decode(bytes);
  } catch {
    throw new NotUtf8Error(shown, firstBadLine(bytes), reasonFor(bytes, shown));
  }
}

/**
 * Only on the error path. Lines are split at byte 0x0A, which is a newline in UTF-8 and in
 * GBK/GB18030 alike (their second bytes are 0x30 and above), so each line can be decoded alone.
 */
function firstBadLine(bytes: Uint8Array): number {
  let start = 0;
  let line = 1;
  for (;;) {
    const nl = bytes.indexOf(0x0a, start);
    const end = nl === -1 ? bytes.length : nl;
    try {
      strictUtf8().decode(bytes.subarray(start, end));
    } catch {
      return line;
    }
    if (nl === -1) return line; // a sequence cut off at the very end
    start = nl + 1;
    line++;
  }
}

function reasonFor(bytes: Uint8Array, shown: string): string {
  const convert = (from: string) => `convert it with: iconv -f ${from} -t utf-8 ${shown} > ${shown}.utf8 && mv ${shown}.utf8 ${shown}`;
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return `not UTF-8 text: the file is UTF-16 (Notepad's "Unicode"); files under rules/ are read as UTF-8 only, save it as UTF-8 or ${convert('utf-16')}`;
  }
  // A hint, not a decision: the file is refused either way (see above).
  const gb = iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'gb18030');
  if (!gb.includes('\uFFFD') && /[\u4e00-\u9fff]/.test(gb)) {
    return `not UTF-8 text: it looks like GBK/GB18030 (what Windows editors in Chinese save by default); files under rules/ are read as UTF-8 only, save it as UTF-8 or ${convert('gb18030')}`;
  }
  return 'not UTF-8 text; files under rules/ are read as UTF-8 only: save it as UTF-8';
}
