import { isValidParameter, PARAMETER_RULES, type ParameterKind } from './parameters';
import type { Action } from './actions';
import { ACTIONS } from './actions';
import type { Problem } from './problems';

/**
 * The Graph route variants of the driveItem checkout family, one row each. The templates
 * are the only shapes of Graph path this app can produce: every call's path is a row's
 * template with each `{param}` replaced by one checked, encoded segment.
 */
export const VARIANT_NAMES = [
  'meRoot',
  'driveRoot',
  'shareRoot',
  'meItem',
  'shareItem',
  'meBundle',
  'meSpecial',
  'meFollowing',
  'driveItem',
  'siteItem',
  'groupItem',
  'userItem',
] as const;
export type VariantName = (typeof VARIANT_NAMES)[number];

export interface RouteVariant {
  readonly name: VariantName;
  readonly template: string;
  /** Parameter name in the template → the kind of value it holds. */
  readonly params: Readonly<Record<string, ParameterKind>>;
  /**
   * `/drive/...` means "the signed-in user's drive", which Graph refuses for an app-only token.
   * Such a row runs only with a userId, as `/users/{userId}` + template.
   */
  readonly delegated: boolean;
}

export const ROUTE_VARIANTS: readonly RouteVariant[] = [
  { name: 'meRoot', template: '/drive/root', params: {}, delegated: true },
  { name: 'driveRoot', template: '/drives/{driveId}/root', params: { driveId: 'driveId' }, delegated: false },
  { name: 'shareRoot', template: '/shares/{shareId}/root', params: { shareId: 'shareId' }, delegated: false },
  { name: 'meItem', template: '/drive/items/{itemId}', params: { itemId: 'itemId' }, delegated: true },
  { name: 'shareItem', template: '/shares/{shareId}/driveItem', params: { shareId: 'shareId' }, delegated: false },
  { name: 'meBundle', template: '/drive/bundles/{itemId}', params: { itemId: 'itemId' }, delegated: true },
  { name: 'meSpecial', template: '/drive/special/{folder}', params: { folder: 'specialFolder' }, delegated: true },
  { name: 'meFollowing', template: '/drive/following/{itemId}', params: { itemId: 'itemId' }, delegated: true },
  {
    name: 'driveItem',
    template: '/drives/{driveId}/items/{itemId}',
    params: { driveId: 'driveId', itemId: 'itemId' },
    delegated: false,
  },
  {
    name: 'siteItem',
    template: '/sites/{siteId}/drive/items/{itemId}',
    params: { siteId: 'siteId', itemId: 'itemId' },
    delegated: false,
  },
  {
    name: 'groupItem',
    template: '/groups/{groupId}/drive/items/{itemId}',
    params: { groupId: 'groupId', itemId: 'itemId' },
    delegated: false,
  },
  {
    name: 'userItem',
    template: '/users/{userId}/drive/items/{itemId}',
    params: { userId: 'userId', itemId: 'itemId' },
    delegated: false,
  },
];

const BY_NAME = new Map<VariantName, RouteVariant>(ROUTE_VARIANTS.map((row) => [row.name, row]));

export function variantByName(name: VariantName): RouteVariant {
  const row = BY_NAME.get(name);
  if (!row) throw new Error(`no route variant named ${name}`);
  return row;
}

/** The template a row is actually called with: delegated rows go through /users/{userId}. */
export function effectiveTemplate(row: RouteVariant): string {
  return row.delegated ? `/users/{userId}${row.template}` : row.template;
}

export interface ResolvedRoute {
  variant: VariantName;
  /** Graph path without version or action, every parameter one encoded segment. */
  graphPath: string;
}

export type RouteResolution =
  | { ok: true; route: ResolvedRoute }
  | { ok: false; code: 'unknownRoute' | 'delegatedRouteNeedsUser' | 'invalidRequest'; problems: Problem[] };

/**
 * Builds the Graph path for a row from named values. Values are checked again here, whatever
 * the caller did, so that no code path can emit a segment outside its character set.
 */
export function buildGraphPath(row: RouteVariant, values: Readonly<Record<string, string>>, userId?: string): RouteResolution {
  const problems: Problem[] = [];
  const kinds: Record<string, ParameterKind> = { ...row.params };
  const all: Record<string, string | undefined> = { ...values };
  if (row.delegated) {
    if (userId === undefined) {
      return {
        ok: false,
        code: 'delegatedRouteNeedsUser',
        problems: [
          {
            pointer: '/userId',
            detail:
              `${row.name} (${row.template}) addresses "the signed-in user's drive", which Graph accepts only with a ` +
              'delegated token; this app calls Graph as its managed identity (app-only). Add "userId" (the user\'s ' +
              'id or UPN) to act in that user\'s OneDrive, or target a drive explicitly (driveItem, siteItem, groupItem).',
          },
        ],
      };
    }
    kinds['userId'] = 'userId';
    all['userId'] = userId;
  }
  const path = effectiveTemplate(row).replace(/\{(\w+)\}/g, (_match, name: string) => {
    const kind = kinds[name];
    const value = all[name];
    if (kind === undefined || value === undefined) {
      problems.push({ pointer: `/target/${name}`, detail: `is required for ${row.name}` });
      return '_';
    }
    if (!isValidParameter(kind, value)) {
      problems.push({ pointer: `/target/${name}`, detail: `must be ${PARAMETER_RULES[kind].expected}` });
      return '_';
    }
    return encodeURIComponent(value);
  });
  if (problems.length > 0) return { ok: false, code: 'invalidRequest', problems };
  return { ok: true, route: { variant: row.name, graphPath: path } };
}

export interface ParsedGraphPath {
  row: RouteVariant;
  values: Record<string, string>;
  userId?: string;
  action?: Action;
}

const VERSION_SEGMENTS = new Set(['v1.0', 'beta']);
const FORBIDDEN_IN_PATH = /[?#\\\s\u0000-\u001f\u007f]/;

/**
 * Reads a Graph path a user copied from docs or Graph Explorer and finds its row. Accepts a
 * `/v1.0` or `/beta` prefix, a trailing action segment, and `/me/drive/...` for `/drive/...`;
 * everything else must match a row's template segment by segment.
 */
export function parseGraphPath(path: string, pointer: string): { ok: true; parsed: ParsedGraphPath } | RouteResolution & { ok: false } {
  const invalid = (detail: string): RouteResolution & { ok: false } => ({
    ok: false,
    code: 'invalidRequest',
    problems: [{ pointer, detail }],
  });
  if (!path.startsWith('/')) return invalid('must be a Graph path starting with "/", such as /drives/{driveId}/items/{itemId}');
  if (FORBIDDEN_IN_PATH.test(path)) return invalid('must not contain a query, fragment, backslash, whitespace or control character');

  let segments = path.slice(1).split('/');
  if (segments.length > 1 && segments[segments.length - 1] === '') segments.pop();
  if (segments.some((s) => s === '')) return invalid('must not contain empty segments ("//")');

  if (segments.length > 0 && VERSION_SEGMENTS.has(segments[0]!.toLowerCase())) segments = segments.slice(1);
  let action: Action | undefined;
  const last = segments[segments.length - 1];
  const actionMatch = last === undefined ? undefined : ACTIONS.find((a) => a.toLowerCase() === last.toLowerCase());
  if (actionMatch) {
    action = actionMatch;
    segments = segments.slice(0, -1);
  }
  if (segments[0]?.toLowerCase() === 'me') segments = segments.slice(1);

  const decoded: string[] = [];
  for (const segment of segments) {
    let value: string;
    try {
      value = decodeURIComponent(segment);
    } catch {
      return invalid(`has a malformed percent-encoding in "${segment}"`);
    }
    decoded.push(value);
  }

  const problems: Problem[] = [];
  // Rows' own templates first, so /users/{u}/drive/items/{i} is userItem, not meItem-for-a-user.
  const candidates = [
    ...ROUTE_VARIANTS.map((row) => ({ row, template: row.template })),
    ...ROUTE_VARIANTS.filter((row) => row.delegated).map((row) => ({ row, template: effectiveTemplate(row) })),
  ];
  for (const { row, template } of candidates) {
    {
      const match = matchTemplate(template, decoded, row, pointer);
      if (match === undefined) continue;
      if ('problems' in match) {
        problems.push(...match.problems);
        continue;
      }
      const { userId, ...values } = match.values;
      const parsed: ParsedGraphPath = { row, values: row.delegated ? values : match.values };
      if (row.delegated && userId !== undefined) parsed.userId = userId;
      if (action !== undefined) parsed.action = action;
      return { ok: true, parsed };
    }
  }
  if (problems.length > 0) return { ok: false, code: 'invalidRequest', problems };
  return {
    ok: false,
    code: 'unknownRoute',
    problems: [
      {
        pointer,
        detail:
          'matches no supported route. Supported: ' +
          ROUTE_VARIANTS.map((row) => row.template).join(', ') +
          ' (each optionally under /v1.0 or /beta, /me/drive for /drive, /users/{userId}/drive for /drive).',
      },
    ],
  };
}

function matchTemplate(
  template: string,
  decoded: readonly string[],
  row: RouteVariant,
  pointer: string,
): { values: Record<string, string> } | { problems: Problem[] } | undefined {
  const parts = template.slice(1).split('/');
  if (parts.length !== decoded.length) return undefined;
  const values: Record<string, string> = {};
  const problems: Problem[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const value = decoded[i]!;
    const param = /^\{(\w+)\}$/.exec(part)?.[1];
    if (param === undefined) {
      if (part.toLowerCase() !== value.toLowerCase()) return undefined;
      continue;
    }
    const kind: ParameterKind = param === 'userId' ? 'userId' : row.params[param]!;
    if (!isValidParameter(kind, value)) {
      problems.push({ pointer, detail: `segment ${i + 1} ("${value.slice(0, 80)}") must be ${PARAMETER_RULES[kind].expected}` });
    }
    values[param] = value;
  }
  return problems.length > 0 ? { problems } : { values };
}
