import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { interpretRequest } from '../../src/checkout/interpret';
import { PARAMETER_RULES, type ParameterKind } from '../../src/checkout/parameters';
import { effectiveTemplate, ROUTE_VARIANTS, type RouteVariant } from '../../src/checkout/routes';
import { shareIdFromUrl } from '../../src/checkout/shareId';

const GRAPH = 'https://graph.microsoft.com';
const interpret = (raw: unknown) => interpretRequest(raw, { graphOrigin: GRAPH, newRequestId: () => 'generated' });

/** Does `graphPath` match the row's effective template, each parameter one segment in its set? */
function matchesRow(row: RouteVariant, graphPath: string): boolean {
  const parts = effectiveTemplate(row).slice(1).split('/');
  const segments = graphPath.slice(1).split('/');
  if (!graphPath.startsWith('/') || parts.length !== segments.length) return false;
  return parts.every((part, i) => {
    const segment = segments[i]!;
    const param = /^\{(\w+)\}$/.exec(part)?.[1];
    if (param === undefined) return part === segment;
    const kind: ParameterKind = param === 'userId' ? 'userId' : row.params[param]!;
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return false;
    }
    return encodeURIComponent(decoded) === segment && PARAMETER_RULES[kind].pattern.test(decoded) && decoded !== '.' && decoded !== '..';
  });
}

let accepted = 0;

/** The promise of the resolver: a rejection, or a path that one row's template produces. */
function assertSafe(raw: unknown): void {
  const result = interpret(raw);
  if (result.ok) accepted++;
  if (!result.ok) {
    expect(result.rejected.problems.length).toBeGreaterThan(0);
    return;
  }
  const { graphPath, variant } = result.accepted.route;
  const matching = ROUTE_VARIANTS.filter((row) => matchesRow(row, graphPath));
  expect(matching.map((row) => row.name)).toContain(variant);
  // Rows that match share one template, so they are the same Graph call.
  expect(new Set(matching.map(effectiveTemplate)).size).toBe(1);
}

// Characters that have broken path handling somewhere: separators, encodings, dots, look-alikes.
const tricky = fc.constantFrom('..', '.', '/', '\\', '%2F', '%2f', '%2E%2E', '?', '#', ' ', '%00', '\u0000', '\n', '／', '．', '！', 'а', 'ｂ', '@', ':', ',', '%', '~', "'", '!', '$', '&');
const segment = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9!_-]{1,20}$/),
  fc.string({ maxLength: 12 }),
  fc.array(fc.oneof(tricky, fc.stringMatching(/^[A-Za-z0-9]{1,4}$/)), { minLength: 1, maxLength: 4 }).map((parts) => parts.join('')),
  fc.constantFrom('drives', 'drive', 'items', 'root', 'sites', 'groups', 'users', 'shares', 'driveItem', 'special', 'me', 'v1.0', 'beta', 'checkout', 'checkin', 'documents', 'b!abc', '01ABC', 'u!aHR0cHM6Ly94'),
);
const targetPath = fc
  .array(segment, { minLength: 0, maxLength: 8 })
  .chain((segments) => fc.constantFrom('/', '', `${GRAPH}/`, 'https://evil.example/', '//').map((prefix) => prefix + segments.join('/')));

const validValue: Record<ParameterKind, fc.Arbitrary<string>> = {
  driveId: fc.stringMatching(/^b![A-Za-z0-9_-]{8,30}$/),
  itemId: fc.oneof(fc.stringMatching(/^[A-Z0-9]{8,34}$/), fc.stringMatching(/^[0-9A-F]{16}![0-9]{1,4}$/)),
  siteId: fc.oneof(fc.constant('root'), fc.uuid(), fc.tuple(fc.domain(), fc.uuid(), fc.uuid()).map((parts) => parts.join(','))),
  groupId: fc.uuid(),
  userId: fc.oneof(fc.uuid(), fc.emailAddress()),
  shareId: fc.stringMatching(/^u![A-Za-z0-9_-]{4,40}$/),
  specialFolder: fc.constantFrom('documents', 'photos', 'cameraroll', 'approot', 'music', 'recordings'),
};
const anyKind = fc.constantFrom(...(Object.keys(validValue) as ParameterKind[]));
/** Mostly values that fit some kind, sometimes with a tricky piece spliced in. */
const paramValue = fc.oneof(
  { weight: 3, arbitrary: anyKind.chain((kind) => validValue[kind]) },
  { weight: 1, arbitrary: fc.tuple(anyKind.chain((kind) => validValue[kind]), tricky, fc.nat(40)).map(([v, t, at]) => v.slice(0, at) + t + v.slice(at)) },
  { weight: 1, arbitrary: segment },
);
const valueFor = (kind: ParameterKind) => fc.oneof({ weight: 4, arbitrary: validValue[kind] }, { weight: 1, arbitrary: paramValue });
const kindOf = (row: RouteVariant, name: string): ParameterKind => (name === 'userId' ? 'userId' : row.params[name]!);
const userIdOption = fc.option(valueFor('userId'), { nil: undefined, freq: 3 });
const encodeSometimes = (value: string) => fc.constantFrom(value, encodeURIComponent(value), encodeURIComponent(encodeURIComponent(value)));

/** Paths shaped like the routes (so many are valid), with values valid or not. */
const routeShapedPath = fc
  .tuple(fc.constantFrom(...ROUTE_VARIANTS), fc.boolean(), fc.constantFrom('', '/v1.0', '/beta', '/v2'), fc.constantFrom('', '/checkout', '/checkin', '/lock'))
  .chain(([row, asUser, version, action]) => {
    const template = asUser && row.delegated ? effectiveTemplate(row) : row.template;
    const names = [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
    return fc.tuple(...names.map((name) => valueFor(kindOf(row, name)).chain(encodeSometimes))).map((values) => {
      let i = 0;
      return version + template.replace(/\{\w+\}/g, () => values[i++]!) + action;
    });
  });

describe('properties of the resolver (fast-check)', () => {
  it('any JSON value is refused or becomes a path one route row produces', () => {
    fc.assert(fc.property(fc.jsonValue(), (raw) => assertSafe(raw)), { numRuns: 2000 });
  });

  it('any target path is refused or becomes a path one route row produces', () => {
    accepted = 0;
    fc.assert(
      fc.property(fc.oneof(targetPath, routeShapedPath), userIdOption, (target, userId) =>
        assertSafe({ target, ...(userId !== undefined && { userId }) }),
      ),
      { numRuns: 5000 },
    );
    // The generators reach real routes too, so the check above is not only about refusals.
    expect(accepted).toBeGreaterThan(250);
  });

  it('any target object is refused or becomes a path one route row produces', () => {
    const rowObject = fc.constantFrom(...ROUTE_VARIANTS).chain((row) =>
      fc.record(Object.fromEntries(Object.keys(row.params).map((name) => [name, valueFor(kindOf(row, name))]))).map((values) => ({ variant: row.name, ...values })),
    );
    const junkObject = fc.record({ variant: fc.constantFrom('nope', '__proto__', 'driveItem') }).chain((base) =>
      fc.dictionary(fc.constantFrom('driveId', 'itemId', 'siteId', 'shareUrl', 'extra', 'folder'), paramValue).map((values) => ({ ...base, ...values })),
    );
    fc.assert(
      fc.property(fc.oneof({ weight: 3, arbitrary: rowObject }, { weight: 1, arbitrary: junkObject }), userIdOption, (target, userId) =>
        assertSafe({ target, ...(userId !== undefined && { userId }) }),
      ),
      { numRuns: 5000 },
    );
    expect(accepted).toBeGreaterThan(250);
  });

  it('any request built from valid parts is accepted, and its path has the parts it was given', () => {
    const driveId = fc.stringMatching(/^b![A-Za-z0-9_-]{10,40}$/);
    const itemId = fc.stringMatching(/^[A-Z0-9]{10,34}$/);
    fc.assert(
      fc.property(driveId, itemId, fc.constantFrom('checkout', 'checkin', 'discardCheckout'), (drive, item, action) => {
        const result = interpret({ target: { variant: 'driveItem', driveId: drive, itemId: item }, action });
        expect(result.ok && result.accepted.route.graphPath).toBe(`/drives/${drive}/items/${item}`);
      }),
    );
  });

  it('a sharing URL always encodes to u! + unpadded base64url that decodes back to it', () => {
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), fc.string({ unit: 'grapheme', maxLength: 30 }), (url, tail) => {
        const value = url + tail;
        const id = shareIdFromUrl(value);
        expect(id).toMatch(/^u![A-Za-z0-9_-]*$/);
        expect(Buffer.from(id.slice(2), 'base64url').toString('utf8')).toBe(value);
      }),
      { numRuns: 2000 },
    );
  });
});
