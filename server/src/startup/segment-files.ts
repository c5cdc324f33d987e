import { RuleFileError } from '../core/rules/rule-file.js';
import { RuleSet, segmentsDir } from '../core/rules/rule-set.js';

/** What stops `npm start` when a segment file of the shop's rules folder has a mistake. */
export class SegmentFilesError extends Error {}

/**
 * The segment files are read before anything starts, as the settings are: the engine loads them
 * while Nest builds the app, and a mistake there (a developer's push: `fact: recencyDay`) stopped
 * the server with Nest's ExceptionHandler and a stack trace of the injector instead of the file,
 * line and field to fix.
 */
export function checkSegmentFiles(rulesDir: string): void {
  try {
    RuleSet.loadDir(segmentsDir(rulesDir));
  } catch (e) {
    if (e instanceof RuleFileError) throw new SegmentFilesError(`invalid segment files (\`rekindle validate\` lists every problem):\n${e.message}`);
    throw e;
  }
}
