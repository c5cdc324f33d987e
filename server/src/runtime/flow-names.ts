import { parse } from 'yaml';
import { readRulesFile } from '../core/text/rules-file-text.js';
import { flowFilePath, listFlowIds } from './flow-files.js';

/**
 * The name (`name:`) of each flow file in rules/flows/, by id, as it is now; a file that does not
 * parse has none. The audit log names an entry written before it recorded names with these
 * (core/access/audit-flow-name.ts), in `rekindle audit` and GET /api/audit alike.
 */
export function flowNamesNow(rulesDir: string): Map<string, string> {
  const names = new Map<string, string>();
  for (const id of listFlowIds(rulesDir)) {
    try {
      const doc = parse(readRulesFile(flowFilePath(rulesDir, id))) as { name?: unknown } | null;
      if (typeof doc?.name === 'string' && doc.name.trim()) names.set(id, doc.name.trim());
    } catch {
      // an unreadable flow file is validate's to report; here it is named by its id
    }
  }
  return names;
}
