import { parse, YAMLError } from 'yaml';
import { NODE_TYPES, type DraftFlow } from './types.js';

/**
 * Reading a file the marketer imports over the journey they are editing. Only the shape the
 * canvas needs is checked here (an object with a list of steps, each with an id and a known type):
 * anything else would break the canvas, or replace the journey with something that is no
 * journey at all. Whether the steps are complete and connected is the live check's business, as
 * for any draft. What is wrong comes back as a message key and its values, so it is said in the
 * marketer's language with the line (YAML) or the field (a file that is no flow) that is wrong.
 */
export type ImportProblem = { key: 'import.yamlError' | 'import.empty' | 'import.notFlow' | 'import.badStep' | 'import.badStepType' | 'import.sameStepId'; vars: Record<string, string> };
export type ImportResult = { ok: true; flow: DraftFlow; /** The id the file gave (not used). */ fileId?: string } | { ok: false; problem: ImportProblem };

const fail = (key: ImportProblem['key'], vars: Record<string, string> = {}): ImportResult => ({ ok: false, problem: { key, vars } });
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The flow a file holds, given the id of the journey it is imported into (the id never changes by importing). */
export function readFlowFile(text: string, intoId: string): ImportResult {
  let data: unknown;
  try {
    data = parse(text);
  } catch (e) {
    const at = e instanceof YAMLError ? e.linePos?.[0] : undefined;
    return fail('import.yamlError', { line: String(at?.line ?? '?'), col: String(at?.col ?? '?') });
  }
  if (data === null || data === undefined) return fail('import.empty');
  if (!isObject(data) || !Array.isArray(data.nodes)) return fail('import.notFlow', { field: 'nodes', keys: isObject(data) ? Object.keys(data).slice(0, 5).join(', ') : '' });
  const seen = new Set<string>();
  for (const [i, n] of data.nodes.entries()) {
    const where = String(i + 1);
    if (!isObject(n) || typeof n.id !== 'string' || !n.id) return fail('import.badStep', { n: where, field: `nodes[${i}].id` });
    if (!(NODE_TYPES as readonly unknown[]).includes(n.type)) return fail('import.badStepType', { n: where, id: n.id, field: `nodes[${i}].type`, type: String(n.type ?? '') });
    if (seen.has(n.id)) return fail('import.sameStepId', { id: n.id, field: `nodes[${i}].id` });
    seen.add(n.id);
  }
  const name = typeof data.name === 'string' ? data.name : '';
  return { ok: true, flow: { ...(data as unknown as DraftFlow), id: intoId, name }, fileId: typeof data.id === 'string' ? data.id : undefined };
}

/** What the confirmation says will be replaced: the current journey's name and steps, the file's, and the ids. */
export function importReplaceVars(current: DraftFlow, incoming: DraftFlow, fileId: string | undefined, fileName: string): Record<string, string> {
  return {
    file: fileName,
    name: current.name || current.id,
    steps: String(current.nodes.length),
    newName: incoming.name || fileId || fileName,
    newSteps: String(incoming.nodes.length),
    id: current.id,
    fileId: fileId && fileId !== current.id ? fileId : '',
  };
}

/** A message with its {placeholders} filled in. */
export const fill = (text: string, vars: Record<string, string>): string => text.replace(/\{(\w+)\}/g, (m, k: string) => vars[k] ?? m);

/**
 * The editor's message line as a new import starts: what an earlier import said (无法导入：文件不是
 * 有效的 YAML…, or 已导入) goes, since it is about another file and stayed beside the new file's
 * confirm dialog and after 取消. Other messages (the problems banner, a publish result) stay.
 */
export function messageAsImportStarts<M extends { from?: string }>(message: M | null): M | null {
  return message?.from === 'import' ? null : message;
}
