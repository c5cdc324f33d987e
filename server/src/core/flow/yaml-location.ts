import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import type { ValuePath } from './problems.js';
import { yamlValue } from '../yaml-value.js';
import { yamlSyntaxWords } from '../text/yaml-syntax-words.js';

/**
 * A parsed YAML text that can tell the line of any value path, so problems found on the parsed
 * value (zod issues, graph checks, rule checks) point at the line a person has to edit.
 */
export interface YamlSource {
  doc: Document;
  /** The plain JS value of the document (undefined for an empty file). */
  value: unknown;
  /** 1-based line of the deepest part of `path` that exists in the text. */
  lineOf(path: ValuePath): number;
  /** YAML syntax errors, with their lines. */
  syntaxErrors: { line: number; message: string }[];
}

export function readYaml(text: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineAt = (offset: number | undefined) => (offset === undefined ? 1 : lineCounter.linePos(offset).line);
  const syntaxErrors = doc.errors.map((e) => yamlSyntaxWords(e, text, lineAt));

  function lineOf(path: ValuePath): number {
    let node: unknown = doc.contents;
    let line = lineAt((node as { range?: [number] } | null)?.range?.[0]);
    for (const seg of path) {
      if (isMap(node)) {
        // The key's line, not the value's: for a nested block the value starts one line lower.
        const pair = node.items.find((p) => isPair(p) && (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(seg));
        if (!pair) break;
        line = lineAt((pair.key as { range?: [number] } | null)?.range?.[0]);
        node = pair.value;
      } else if (isSeq(node) && typeof seg === 'number' && node.items[seg]) {
        node = node.items[seg];
        line = lineAt((node as { range?: [number] }).range?.[0]);
      } else break;
    }
    return line;
  }

  if (syntaxErrors.length) return { doc, value: undefined, lineOf, syntaxErrors };
  const v = yamlValue(doc);
  if ('error' in v) return { doc, value: undefined, lineOf, syntaxErrors: [{ line: 1, message: v.error }] };
  return { doc, value: v.value, lineOf, syntaxErrors };
}
