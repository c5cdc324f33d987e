import { existsSync, readdirSync } from 'node:fs';
import { readRulesFile } from '../core/text/rules-file-text.js';
import { join } from 'node:path';
import { parse } from 'yaml';
import { FLOW_FILE_SUFFIX } from '../core/flow/flow-file.js';
import { RULE_EXTENSIONS } from '../core/rules/rule-file.js';
import type { ContactPolicy } from '../core/policy/schema.js';

/**
 * What a policy about to be saved (PUT /api/policy) names that must exist or stay apart: each
 * block list has its file (rules/lists/<name>.txt) and each block rule its segment
 * (rules/segments/), or the engine would refuse every send at its next batch; and no shop-wide
 * cap takes the id of a journey's own cap (the send log and the designer name a cap by its id).
 * Each problem as `<file> <field>: <what>`, the field in the caps.N.id form of every answer.
 */
export function policyReferenceProblems(rulesDir: string, policy: ContactPolicy, shownAs: string): string[] {
  const out: string[] = [];
  policy.suppression.lists.forEach((name, i) => {
    if (!existsSync(join(rulesDir, 'lists', `${name}.txt`))) out.push(`${shownAs} suppression.lists.${i}: block list "${name}" has no file rules/lists/${name}.txt (create it with rekindle lists import ${name} <file>)`);
  });
  policy.suppression.segments.forEach((name, i) => {
    if (!RULE_EXTENSIONS.some((ext) => existsSync(join(rulesDir, 'segments', `${name}${ext}`)))) out.push(`${shownAs} suppression.segments.${i}: block rule "${name}" is not in rules/segments/`);
  });
  const flowCaps = flowCapIds(rulesDir);
  policy.caps.forEach((cap, i) => {
    const flow = flowCaps.get(cap.id);
    if (flow) out.push(`${shownAs} caps.${i}.id: "${cap.id}" is already the id of a cap of the journey ${flow.id} (rules/flows/${flow.id}${FLOW_FILE_SUFFIX} caps.${flow.at}): give the shop-wide cap another id (the send log and the designer name a cap by its id)`);
  });
  return out;
}

/** The ids of the journeys' own caps, each with the first journey (by file name) that has it. */
function flowCapIds(rulesDir: string): Map<string, { id: string; at: number }> {
  const dir = join(rulesDir, 'flows');
  const out = new Map<string, { id: string; at: number }>();
  if (!existsSync(dir)) return out;
  for (const file of readdirSync(dir).filter((f) => f.endsWith(FLOW_FILE_SUFFIX)).sort()) {
    let flow: unknown;
    try {
      flow = parse(readRulesFile(join(dir, file)));
    } catch {
      continue; // a broken flow file says so where it is checked
    }
    const caps = (flow as { caps?: unknown } | null)?.caps;
    if (!Array.isArray(caps)) continue;
    caps.forEach((c, at) => {
      const id = (c as { id?: unknown } | null)?.id;
      if (typeof id === 'string' && !out.has(id)) out.set(id, { id: file.slice(0, -FLOW_FILE_SUFFIX.length), at });
    });
  }
  return out;
}
