/**
 * A stored delivery error (sends.last_error) as people may read it: the provider's first line,
 * without the dispatcher's "attempt N:" prefix (so the same failure groups across attempts),
 * stack frames or file paths of the machine that sent it, and cut to a readable length.
 */
export function deliveryErrorSummary(text: string | null | undefined, max = 120): string | null {
  if (!text) return null;
  const first = text
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l && !/^at\s/.test(l));
  if (!first) return null;
  const s = first
    .replace(/^attempt \d+:\s*/, '')
    .replace(/\bfile:\/\/\S+/g, '…')
    // An absolute path (not a URL's): starts the text or follows a space, bracket or quote.
    .replace(/(^|[\s("'=])(?:[A-Za-z]:)?[\\/](?:[\w.@~-]+[\\/])+[\w.@~-]*(?::\d+)*/g, '$1…')
    .replace(/\s+/g, ' ')
    .trim();
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
