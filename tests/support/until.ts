/** Waits until `ok()` holds, asking every 100 ms (or `everyMs`); fails naming `what` after `ms`. For processes and queues a test watches, not for timing. */
export async function until(what: string, ok: () => boolean | Promise<boolean>, ms = 40_000, everyMs = 100): Promise<void> {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
