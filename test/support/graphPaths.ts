import type { GraphError } from './graphErrors';

export const GRAPH_ACTIONS = ['checkout', 'checkin', 'discardCheckout'] as const;
export type GraphAction = (typeof GRAPH_ACTIONS)[number];
export const GRAPH_VERSIONS = ['v1.0', 'beta'] as const;
export type GraphVersion = (typeof GRAPH_VERSIONS)[number];

export interface ParsedGraphPath {
  /** Best effort even when the path is rejected, so every call can be recorded. */
  version: string;
  itemPath: string;
  action: string;
  /** Set when Graph would refuse the path; `undefined` means the route is a driveItem action. */
  error?: GraphError;
}

export const DELEGATED_ONLY_MESSAGE = '/me request is only valid with delegated authentication flow.';

function notFoundSegment(segment: string): GraphError {
  return { status: 400, code: 'BadRequest', message: `Resource not found for the segment '${segment}'.` };
}

/**
 * Path-based addressing (`root:/folder/file.docx:`) spans several slash-separated segments;
 * folding it back into one segment lets the grammar below treat it like `root`.
 */
function foldRootPaths(segments: string[]): string[] {
  const folded: string[] = [];
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] ?? '';
    if (segment !== 'root:') {
      folded.push(segment);
      continue;
    }
    const pathParts: string[] = [];
    while (i + 1 < segments.length) {
      i++;
      const part = segments[i] ?? '';
      pathParts.push(part);
      if (part.endsWith(':')) break;
    }
    folded.push(`root:/${pathParts.join('/')}`);
  }
  return folded;
}

/**
 * Length of the drive-item reference at the start of `segs`, or the segment Graph would reject.
 * `me/…` and `drive/…` never get here: Graph refuses them to app-only callers first.
 */
function matchItem(segs: string[]): { length: number } | { bad: string } {
  const at = (i: number): string | undefined => segs[i];
  const afterDrive = (k: number): { length: number } | { bad: string } => {
    const s = at(k);
    if (s === 'root' || (s?.startsWith('root:/') ?? false)) return { length: k + 1 };
    if (s === 'items' || s === 'bundles' || s === 'following' || s === 'special') {
      return at(k + 1) ? { length: k + 2 } : { bad: s };
    }
    return { bad: s ?? at(k - 1) ?? '' };
  };
  const owner = at(0);
  switch (owner) {
    case 'drives':
      return at(1) ? afterDrive(2) : { bad: owner };
    case 'sites':
    case 'groups':
    case 'users': {
      if (!at(1)) return { bad: owner };
      if (at(2) === 'drive') return afterDrive(3);
      if (at(2) === 'drives' && at(3)) return afterDrive(4);
      return { bad: at(2) ?? owner };
    }
    case 'shares':
      if (!at(1)) return { bad: owner };
      return at(2) === 'root' || at(2) === 'driveItem' ? { length: 3 } : { bad: at(2) ?? owner };
    default:
      return { bad: owner ?? '' };
  }
}

/**
 * Parses `/{version}/{itemPath}/{action}` from a raw (still percent-encoded) URL path.
 * Each segment is decoded exactly once, as Graph does: `b%21abc` is drive `b!abc`.
 */
export function parseGraphPath(rawPath: string): ParsedGraphPath {
  const rawSegments = rawPath.split('?')[0]?.split('/').filter((s, i) => i > 0 || s !== '') ?? [];
  let segments: string[];
  try {
    segments = rawSegments.map((s) => decodeURIComponent(s));
  } catch {
    return {
      version: '',
      itemPath: rawPath,
      action: '',
      error: { status: 400, code: 'BadRequest', message: 'The request URI is malformed.' },
    };
  }
  const [version = '', ...rest] = segments;
  const action = rest.length > 0 ? (rest.at(-1) ?? '') : '';
  const itemSegments = foldRootPaths(rest.slice(0, -1));
  const itemPath = itemSegments.join('/');
  const parsed = { version, itemPath, action };

  if (!(GRAPH_VERSIONS as readonly string[]).includes(version)) {
    return { ...parsed, error: { status: 400, code: 'BadRequest', message: `Invalid version: ${version}` } };
  }
  if (itemSegments[0] === 'me' || itemSegments[0] === 'drive') {
    return { ...parsed, error: { status: 400, code: 'BadRequest', message: DELEGATED_ONLY_MESSAGE } };
  }
  const match = matchItem(itemSegments);
  if ('bad' in match) return { ...parsed, error: notFoundSegment(match.bad) };
  if (match.length < itemSegments.length) return { ...parsed, error: notFoundSegment(itemSegments[match.length] ?? '') };
  if (!(GRAPH_ACTIONS as readonly string[]).includes(action)) return { ...parsed, error: notFoundSegment(action) };
  return parsed;
}

export function isGraphAction(action: string): action is GraphAction {
  return (GRAPH_ACTIONS as readonly string[]).includes(action);
}
