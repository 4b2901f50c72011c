/**
 * One thing wrong with a request, located by a JSON Pointer (RFC 6901) into the request body,
 * so a caller can find the field whatever tool shows it the error.
 */
export interface Problem {
  pointer: string;
  detail: string;
}

export function pointerFromPath(path: readonly PropertyKey[]): string {
  return path.map((key) => '/' + String(key).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/** All problems as one line, for a result's message or a problem document's detail. */
export function describeProblems(problems: readonly Problem[]): string {
  return problems.map((p) => (p.pointer ? `${p.pointer} ${p.detail}` : p.detail)).join('; ');
}
