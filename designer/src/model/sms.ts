/**
 * How long an SMS is and how many parts it goes out in (what the shop pays for): texts in the
 * GSM-7 alphabet take 160 characters in one part and 153 per part when split; anything else
 * (Chinese) is sent as UCS-2: 70 in one part, 67 per part.
 */
const GSM7 = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà'.split(''),
);
const GSM7_EXTENDED = new Set('^{}\\[~]|€'.split(''));

export interface SmsSize {
  encoding: 'GSM-7' | 'UCS-2';
  /** Characters as the network counts them (GSM-7 extended characters count twice). */
  length: number;
  parts: number;
  /** Characters left in the last part. */
  left: number;
}

export function smsSize(text: string): SmsSize {
  const chars = [...text];
  const gsm = chars.every((c) => GSM7.has(c) || GSM7_EXTENDED.has(c));
  if (gsm) {
    const length = chars.reduce((n, c) => n + (GSM7_EXTENDED.has(c) ? 2 : 1), 0);
    const parts = length <= 160 ? 1 : Math.ceil(length / 153);
    return { encoding: 'GSM-7', length, parts, left: (parts === 1 ? 160 : parts * 153) - length };
  }
  const length = text.length; // UTF-16 code units: an emoji takes two
  const parts = length <= 70 ? 1 : Math.ceil(length / 67);
  return { encoding: 'UCS-2', length, parts, left: (parts === 1 ? 70 : parts * 67) - length };
}
