import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** One request of a VS Code REST Client (.http) file, with its variables filled in. */
export interface HttpSample {
  name: string;
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
}

/**
 * The subset of the REST Client format the samples use: `@name = value` file variables,
 * requests separated by `### title`, `{{name}}` and `{{$guid}}` substitutions.
 */
export function readHttpFile(path: string, overrides: Record<string, string> = {}): HttpSample[] {
  const [preamble = '', ...blocks] = readFileSync(path, 'utf8').split(/^###/m);
  const variables: Record<string, string> = {};
  for (const [, name, value] of preamble.matchAll(/^@(\w+)\s*=[ \t]*(.*)$/gm)) variables[name!] = value!.trim();
  Object.assign(variables, overrides);
  const fill = (text: string): string =>
    text.replace(/\{\{\s*(\$?\w+)\s*\}\}/g, (_m, name: string) => {
      if (name === '$guid') return randomUUID();
      const value = variables[name];
      if (value === undefined) throw new Error(`${path}: {{${name}}} is not defined`);
      return value;
    });

  return blocks.map((block) => {
    const [title = '', ...lines] = block.split('\n');
    while (lines.length > 0 && (lines[0]!.trim() === '' || /^\s*(#|\/\/)/.test(lines[0]!))) lines.shift();
    const requestLine = /^(GET|POST|PUT|PATCH|DELETE|OPTIONS)\s+(\S+)(?:\s+HTTP\/\d(?:\.\d)?)?\s*$/.exec(lines.shift() ?? '');
    if (!requestLine) throw new Error(`${path}: "${title.trim()}" has no request line`);
    const headers: Record<string, string> = {};
    while (lines.length > 0 && lines[0]!.trim() !== '') {
      const header = /^([\w-]+):\s*(.*)$/.exec(lines.shift()!);
      if (!header) throw new Error(`${path}: "${title.trim()}" has a malformed header`);
      headers[header[1]!.toLowerCase()] = fill(header[2]!.trim());
    }
    const body = lines.join('\n').trim();
    return {
      name: title.trim(),
      method: requestLine[1]!,
      url: new URL(fill(requestLine[2]!)),
      headers,
      ...(body !== '' && { body: fill(body) }),
    };
  });
}
