/**
 * What the browser kept under a key (localStorage, sessionStorage), read back as JSON: the value,
 * or null when nothing is kept or the text is not JSON (written by hand, cut short). Whether the
 * value is the shape wanted is the caller's to check (rescue-copy.ts, kept-history.ts).
 */
export function storedJson(text: string | null): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
