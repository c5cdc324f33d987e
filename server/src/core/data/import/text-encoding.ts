import { createReadStream } from 'node:fs';
import iconv from 'iconv-lite';

/**
 * Which text encoding an uploaded file uses. UTF-8 (with or without BOM) is read as is; Taobao and
 * many Chinese shop systems export GBK / GB18030, which is decoded (GB18030 is a superset of GBK);
 * anything else is refused with its name rather than stored as "����".
 */
export type TextEncoding = 'utf-8' | 'gb18030';

export class EncodingError extends Error {
  constructor(
    message: string,
    /** The first line (1-based) that is neither UTF-8 nor GBK/GB18030, when that is the refusal. */
    readonly line?: number,
  ) {
    super(message);
  }
}

const NEITHER = 'body: neither UTF-8 nor GBK/GB18030 text; save the file as UTF-8';

/** Decides the encoding of a file: the declared charset when there is one, else UTF-8 if valid, else GB18030 if it decodes cleanly. */
export async function detectFileEncoding(file: string, declared?: string): Promise<TextEncoding> {
  const name = declared?.trim().toLowerCase();
  if (name && name !== 'utf-8' && name !== 'utf8') {
    if (['gbk', 'gb2312', 'gb18030', 'cp936', 'x-gbk'].includes(name)) return 'gb18030';
    throw new EncodingError(`body: charset "${declared}" is not supported; send UTF-8 or GBK/GB18030`);
  }
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  let utf8ok = true;
  for await (const chunk of createReadStream(file)) {
    try {
      utf8.decode(chunk as Buffer, { stream: true });
    } catch {
      utf8ok = false;
      break;
    }
  }
  if (utf8ok) {
    try {
      utf8.decode();
      return 'utf-8';
    } catch {
      utf8ok = false;
    }
  }
  if (name) throw new EncodingError('body: declared UTF-8 but is not valid UTF-8');
  const gb = iconv.getDecoder('gb18030');
  // Byte 0x0A is a newline in GB18030 as in UTF-8, so the decoded text's newlines count the lines.
  let lines = 1;
  const refuseAt = (text: string) => {
    const bad = text.indexOf('\uFFFD');
    if (bad !== -1) throw new EncodingError(NEITHER, lines + newlines(text.slice(0, bad)));
    lines += newlines(text);
  };
  for await (const chunk of createReadStream(file)) refuseAt(gb.write(chunk as Buffer));
  refuseAt(gb.end() ?? '');
  return 'gb18030';
}

const newlines = (text: string) => text.split('\n').length - 1;

/** A small file's whole text (a block list), decoded as detectFileEncoding decided; a UTF-8 BOM dropped. */
export function decodeText(bytes: Buffer, encoding: TextEncoding): string {
  return encoding === 'utf-8' ? new TextDecoder('utf-8').decode(bytes) : iconv.decode(bytes, 'gb18030');
}

/** The file as UTF-8 text chunks. */
export async function* readDecoded(file: string, encoding: TextEncoding): AsyncGenerator<string | Buffer> {
  if (encoding === 'utf-8') {
    yield* createReadStream(file) as AsyncIterable<Buffer>;
    return;
  }
  const dec = iconv.getDecoder('gb18030');
  for await (const chunk of createReadStream(file)) {
    const s = dec.write(chunk as Buffer);
    if (s) yield s;
  }
  const rest = dec.end();
  if (rest) yield rest;
}
