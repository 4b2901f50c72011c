import { readFileSync } from 'node:fs';

/**
 * Just enough of Bicep's syntax to check the templates' structure without a compiler:
 * comments and strings are blanked (keeping offsets), so braces and keys can be found.
 */
export function readBicep(path: string): { text: string; code: string } {
  const text = readFileSync(path, 'utf8');
  return { text, code: blankCommentsAndStrings(text) };
}

export function blankCommentsAndStrings(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('//', i)) {
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? text.length : end;
      out += ' '.repeat(stop - i);
      i = stop;
    } else if (text.startsWith('/*', i)) {
      const stop = text.indexOf('*/', i) + 2;
      out += text.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else if (text[i] === "'") {
      // Bicep strings escape a quote as \' ; interpolations ${...} are blanked with the string.
      let j = i + 1;
      while (j < text.length && text[j] !== "'") j += text[j] === '\\' ? 2 : 1;
      out += "'" + ' '.repeat(j - i - 1) + "'";
      i = j + 1;
    } else {
      out += text[i];
      i++;
    }
  }
  return out;
}

/** The text between the `{` that follows `start` and its matching `}`. */
export function blockAfter(text: string, code: string, start: RegExp): string {
  const match = start.exec(code);
  if (!match) throw new Error(`no ${start} in the template`);
  const open = code.indexOf('{', match.index + match[0].length - 1);
  let depth = 0;
  for (let i = open; i < code.length; i++) {
    if (code[i] === '{') depth++;
    if (code[i] === '}' && --depth === 0) return text.slice(open + 1, i);
  }
  throw new Error(`unbalanced block after ${start}`);
}

/** Keys of an object literal's top level (`name: value` lines at the shallowest depth). */
export function topLevelKeys(block: string): string[] {
  const code = blankCommentsAndStrings(block);
  const keys: string[] = [];
  let depth = 0;
  for (const line of code.split('\n')) {
    const key = /^\s*([A-Za-z_][A-Za-z0-9_]*|'[^']*')\s*:/.exec(line);
    if (depth === 0 && key) keys.push(key[1]!);
    for (const ch of line) {
      if (ch === '{' || ch === '[' || ch === '(') depth++;
      if (ch === '}' || ch === ']' || ch === ')') depth--;
    }
  }
  return keys;
}

export interface BicepParam {
  name: string;
  hasDefault: boolean;
  defaultText?: string;
}

export function paramsOf(text: string): BicepParam[] {
  return [...text.matchAll(/^param\s+(\w+)\s+\w+(?:\s*=\s*(.+))?$/gm)].map((m) => ({
    name: m[1]!,
    hasDefault: m[2] !== undefined,
    ...(m[2] !== undefined && { defaultText: m[2].trim() }),
  }));
}

export function balanced(code: string): boolean {
  const pairs: Record<string, string> = { '}': '{', ']': '[', ')': '(' };
  const stack: string[] = [];
  for (const ch of code) {
    if (ch === '{' || ch === '[' || ch === '(') stack.push(ch);
    else if (ch in pairs && stack.pop() !== pairs[ch]) return false;
  }
  return stack.length === 0;
}
