import { describe, expect, it } from 'vitest';
import { interpretRequest, type Interpretation } from '../../src/checkout/interpret';
import { ROUTE_VARIANTS } from '../../src/checkout/routes';

const GRAPH = 'https://graph.microsoft.com';
let counter = 0;
const interpret = (raw: unknown): Interpretation => interpretRequest(raw, { graphOrigin: GRAPH, newRequestId: () => `generated-${++counter}` });

function accepted(raw: unknown) {
  const result = interpret(raw);
  if (!result.ok) throw new Error(`expected acceptance, got ${JSON.stringify(result.rejected)}`);
  return result.accepted;
}
function rejected(raw: unknown) {
  const result = interpret(raw);
  if (result.ok) throw new Error(`expected rejection, got ${JSON.stringify(result.accepted)}`);
  return result.rejected;
}

const DRIVE = 'b!x8sVKu2FC0ad2Aj7TD1xYPtdBf5HVx5FmE9-NCMTo5Qj2EFJEc3ZQZfGzLLFu9dO';
const ITEM = '01BYE5RZ6QN3ZWBTUFOFD3GSPGOHDJD36K';
const SITE = 'contoso.sharepoint.com,2C712604-1370-44E7-A1F5-426573FDA80A,2D2244C3-251A-49EA-93A8-39E1C3A060FE';
const GROUP = '02bd9fd6-8f93-4758-87c3-1fb73740a315';
const USER = 'adele.vance@contoso.com';

describe('route variants', () => {
  // One row per variant of the seed page and the app-only forms: path in, Graph path out.
  const cases: Array<[string, string, string]> = [
    ['/drive/root', 'meRoot', `/users/${encodeURIComponent(USER)}/drive/root`],
    [`/drives/${DRIVE}/root`, 'driveRoot', `/drives/${DRIVE}/root`],
    ['/shares/u!aHR0cHM6Ly9jb250b3NvLnNoYXJlcG9pbnQuY29tL3g/root', 'shareRoot', '/shares/u!aHR0cHM6Ly9jb250b3NvLnNoYXJlcG9pbnQuY29tL3g/root'],
    [`/drive/items/${ITEM}`, 'meItem', `/users/${encodeURIComponent(USER)}/drive/items/${ITEM}`],
    ['/shares/u!aHR0cHM6Ly9jb250b3NvLnNoYXJlcG9pbnQuY29tL3g/driveItem', 'shareItem', '/shares/u!aHR0cHM6Ly9jb250b3NvLnNoYXJlcG9pbnQuY29tL3g/driveItem'],
    [`/drive/bundles/${ITEM}`, 'meBundle', `/users/${encodeURIComponent(USER)}/drive/bundles/${ITEM}`],
    ['/drive/special/documents', 'meSpecial', `/users/${encodeURIComponent(USER)}/drive/special/documents`],
    [`/drive/following/${ITEM}`, 'meFollowing', `/users/${encodeURIComponent(USER)}/drive/following/${ITEM}`],
    [`/drives/${DRIVE}/items/${ITEM}`, 'driveItem', `/drives/${DRIVE}/items/${ITEM}`],
    [`/sites/${SITE}/drive/items/${ITEM}`, 'siteItem', `/sites/${encodeURIComponent(SITE)}/drive/items/${ITEM}`],
    [`/groups/${GROUP}/drive/items/${ITEM}`, 'groupItem', `/groups/${GROUP}/drive/items/${ITEM}`],
    [`/users/${USER}/drive/items/${ITEM}`, 'userItem', `/users/${encodeURIComponent(USER)}/drive/items/${ITEM}`],
  ];

  it('covers every row of the table', () => {
    expect(new Set(cases.map((c) => c[1]))).toEqual(new Set(ROUTE_VARIANTS.map((row) => row.name)));
  });

  it.each(cases)('%s resolves to %s', (path, variant, graphPath) => {
    const delegated = ROUTE_VARIANTS.find((row) => row.name === variant)!.delegated;
    const request = accepted({ target: path, ...(delegated && { userId: USER }) });
    expect(request.route).toEqual({ variant, graphPath });
  });

  it('accepts the forms people copy: version prefix, /me, trailing action, full Graph URL', () => {
    expect(accepted({ target: `/beta/me/drive/items/${ITEM}/checkout`, userId: USER }).route.variant).toBe('meItem');
    expect(accepted({ target: `${GRAPH}/v1.0/drives/${DRIVE}/items/${ITEM}/checkin` }).action).toBe('checkin');
    expect(accepted({ target: `/v1.0/users/${USER}/drive/root` }).route).toEqual({
      variant: 'meRoot',
      graphPath: `/users/${encodeURIComponent(USER)}/drive/root`,
    });
  });

  it('builds the same path from the object form', () => {
    expect(accepted({ target: { variant: 'siteItem', siteId: SITE, itemId: ITEM } }).route.graphPath).toBe(
      `/sites/${encodeURIComponent(SITE)}/drive/items/${ITEM}`,
    );
    expect(accepted({ target: { variant: 'meSpecial', folder: 'approot' }, userId: GROUP }).route.graphPath).toBe(
      `/users/${GROUP}/drive/special/approot`,
    );
  });

  it('refuses a signed-in-user route without userId, before any Graph call, saying how to fix it', () => {
    const r = rejected({ target: '/me/drive/root/checkout' });
    expect(r.code).toBe('delegatedRouteNeedsUser');
    expect(r.problems[0]!.detail).toMatch(/userId/);
    expect(r.problems[0]!.detail).toMatch(/delegated/);
  });

  it('names unknown routes and lists the supported ones', () => {
    const r = rejected({ target: `/drives/${DRIVE}/list/items/1` });
    expect(r.code).toBe('unknownRoute');
    expect(r.problems[0]!.detail).toContain('/drives/{driveId}/items/{itemId}');
  });

  it.each([
    [`/drives/${DRIVE}/items/..`],
    [`/drives/${DRIVE}/items/%2E%2E`],
    [`/drives/${DRIVE}/items/a%2Fb`],
    [`/drives/${DRIVE}/items/${ITEM}?$select=id`],
    [`/drives/${DRIVE}/items/${ITEM}#x`],
    [`/drives/${DRIVE}/items/a b`],
    [`/drives/${DRIVE}\\items\\${ITEM}`],
    [`/drives/${DRIVE}/items/${ITEM}/../../../me/messages`],
    [`/drives/${DRIVE}//items/${ITEM}`],
    ['drives/x/items/y'],
    [`https://evil.example.com/v1.0/drives/${DRIVE}/items/${ITEM}`],
    [`https://graph.microsoft.com.evil.example/v1.0/drives/${DRIVE}/items/${ITEM}`],
    [`${GRAPH}/v1.0/drives/${DRIVE}/items/x/../${ITEM}`],
    [`/drives/${DRIVE}/items/%ZZ`],
    [`/users/${USER}/messages/${ITEM}`],
  ])('rejects %s without producing a Graph path', (target) => {
    const r = rejected({ target });
    expect(['invalidRequest', 'unknownRoute']).toContain(r.code);
  });

  it('rejects parameters outside their character set, naming the field', () => {
    const r = rejected({ target: { variant: 'groupItem', groupId: 'not-a-guid', itemId: ITEM } });
    expect(r.problems).toEqual([expect.objectContaining({ pointer: '/target/groupId' })]);
    expect(rejected({ target: { variant: 'meSpecial', folder: 'desktop' }, userId: USER }).problems[0]!.pointer).toBe('/target/folder');
  });

  it('requires action and a trailing action segment to agree, and keeps checkin fields to checkin', () => {
    expect(rejected({ target: `/drives/${DRIVE}/items/${ITEM}/checkin`, action: 'checkout' }).problems[0]!.pointer).toBe('/target');
    expect(rejected({ target: `/drives/${DRIVE}/items/${ITEM}`, comment: 'x' }).problems[0]!.pointer).toBe('/comment');
    expect(rejected({ target: `/drives/${DRIVE}/items/${ITEM}`, action: 'discardCheckout', checkInAs: 'published' }).problems[0]!.pointer).toBe('/checkInAs');
    expect(accepted({ target: `/drives/${DRIVE}/items/${ITEM}`, action: 'checkin', comment: 'done', checkInAs: 'published' }).action).toBe('checkin');
  });

  it('rejects userId on a route that does not take it', () => {
    expect(rejected({ target: `/drives/${DRIVE}/items/${ITEM}`, userId: USER }).problems[0]!.pointer).toBe('/userId');
  });
});
