import type { YAMLError } from 'yaml';

/**
 * A YAML syntax error as the person who edits the file needs it: the line to change and what is
 * wrong in plain words. The parser's own words ("Nested mappings are not allowed in compact
 * mappings at line 34") named the line above a key indented too far and a term no marketer or
 * developer uses; what it does not know how to say is passed on as it said it.
 */
export function yamlSyntaxWords(e: Pick<YAMLError, 'code' | 'message' | 'pos'>, text: string, lineAt: (offset: number) => number): { line: number; message: string } {
  const parserWords = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  const line = lineAt(e.pos[0]);
  const lines = text.split(/\r?\n/);
  const indent = (n: number) => /^ */.exec(lines[n - 1] ?? '')![0].length;
  const nextFilled = (n: number) => {
    for (let i = n + 1; i <= lines.length; i++) if (lines[i - 1].trim() && !lines[i - 1].trim().startsWith('#')) return i;
    return null;
  };
  const slip = fullWidthSlip(lines, line);
  if (slip) return slip;
  switch (e.code) {
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY': {
      const next = nextFilled(line);
      // A key indented deeper than the line above, which already has its value on that line.
      if (next !== null && indent(next) > indent(line) && /^\s*(- )?[^\s#:][^:]*:\s*\S/.test(lines[line - 1])) {
        return { line: next, message: `this line is indented further than line ${line} above it, which already has its value: keys of one level start in the same column` };
      }
      if (/:\s/.test(lines[line - 1].replace(/^\s*(- )?[^:]*:\s/, ''))) {
        return { line, message: 'a value holds ": " (as in "note: a: b"): put the value in quotes, e.g. note: "a: b"' };
      }
      return { line, message: `the indentation does not fit here (${parserWords})` };
    }
    case 'TAB_AS_INDENT':
      return { line, message: 'this line is indented with a tab: YAML indents with spaces only' };
    case 'DUPLICATE_KEY': {
      const key = /^\s*(?:- )?([^:#]+?)\s*:/.exec(lines[line - 1] ?? '')?.[1];
      return { line, message: `${key ? `"${key}"` : 'a key'} is given twice in the same place: keep one` };
    }
    case 'MISSING_CHAR':
      if (/quote/i.test(parserWords)) return { line, message: 'a quoted value is not closed: a " or \' has no partner before the end of the file' };
      return { line, message: parserWords };
    case 'BAD_INDENT':
      if (/Flow sequence/i.test(parserWords)) return { line, message: 'a list in [ ] is not closed with ] (or its next line is not indented under it)' };
      if (/Flow map/i.test(parserWords)) return { line, message: 'a { } group is not closed with } (or its next line is not indented under it)' };
      return { line, message: `the indentation does not fit here (${parserWords})` };
    default:
      return { line, message: parserWords };
  }
}

/**
 * A Chinese input method's full-width colon after a key (`duration：24h`) or full-width space in
 * the indentation: the parser sees neither as YAML and blamed the indentation ("Implicit keys need
 * to be on a single line"), never naming the character, which looks like the right one on screen.
 * Looked for on the line the parser names and the one above it (where a key's slip can make the
 * parser stop on the next line). A ： inside a value (`label: 提醒：付款`) is fine and not matched.
 */
function fullWidthSlip(lines: string[], line: number): { line: number; message: string } | null {
  for (const n of [line, line - 1]) {
    const text = lines[n - 1] ?? '';
    if (/^ *\u3000/.test(text)) return { line: n, message: 'this line is indented with a full-width space (　, from a Chinese input method): YAML indents with half-width spaces only' };
    const key = /^\s*(?:- )?([^\s#:"'][^:#"']*?)\s*：/.exec(text)?.[1];
    if (key) return { line: n, message: `"${key}：" has a full-width colon ： (from a Chinese input method): YAML needs a half-width colon and a space, e.g. ${key}: …` };
  }
  return null;
}
