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
