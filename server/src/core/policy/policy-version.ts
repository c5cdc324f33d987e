import { createHash } from 'node:crypto';

/**
 * The version of rules/policy.yaml an edit is based on: a hash of the file's text (not its mtime,
 * which a `git checkout` or a copy can keep while the text changes). GET /api/policy gives it, a
 * PUT with `ifVersion` is refused when the file no longer has it, so an admin's save does not
 * silently overwrite a change made since the page loaded. A shop without the file: the hash of ''.
 */
export function policyVersion(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** The file changed since the version a save is based on; nothing was written. */
export class PolicyVersionConflict extends Error {
  constructor(
    readonly basedOn: string,
    readonly current: string,
    where: string,
  ) {
    super(`${where} was changed since version ${basedOn} this save is based on (it is now version ${current}); nothing was written: load the policy again and redo the edit`);
  }
}
