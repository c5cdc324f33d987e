import { createHash } from 'node:crypto';

/**
 * The version of a flow file (rules/flows/<id>.flow.yaml) a drawing was opened from: a hash of
 * the file's text, as policy-version.ts does for rules/policy.yaml (not its mtime, which a
 * `git checkout` can keep while the text changes). A flow without a file: the hash of ''.
 *
 * Why: developers change flow files in git while the server runs, and the designer publishes by
 * writing the whole file. A drawing opened before a developer's commit, published after it,
 * silently put the old text back (the commit reverted on disk, and the reverted text published
 * as the new version). A publish that names the file version its drawing was based on is refused
 * when the file has moved on since.
 */
// The file's bytes where it is read from disk (flow-files.ts flowFileVersionOnDisk, the designer's
// readFlowFile): the same hash as its text for a UTF-8 file, and a file that is not UTF-8 still gets
// a version of its own (decoded leniently, every bad byte would read as the same U+FFFD).
export function flowFileVersion(text: string | Uint8Array): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** The flow file changed since the version a designer publish is based on; nothing was written or published. */
export class FlowFileChanged extends Error {
  constructor(
    readonly flowId: string,
    readonly basedOn: string,
    readonly current: string,
  ) {
    super(
      current === flowFileVersion('')
        ? `rules/flows/${flowId}.flow.yaml was removed after this drawing was opened from it (version ${basedOn}); nothing was written or published`
        : `rules/flows/${flowId}.flow.yaml was changed after this drawing was opened from it (a commit or pull in git?): it is now version ${current}, the drawing is based on version ${basedOn}; nothing was written or published. Publishing the drawing would undo that change: open the journey's file to see it, redo the edit on it, or publish with ifFileVersion ${current} to replace it knowingly`,
    );
  }
}
