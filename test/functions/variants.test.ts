import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { shareIdFromUrl } from '../../src/checkout/shareId';
import { startWorld, type World } from './world';

const DRIVE = 'b!x8sVKu2FC0ad2Aj7TD1xYPtdBf5HVx5FmE9-NCMTo5Qj';
const ITEM = '01BYE5RZ6QN3ZWBTUFOFD3GSPGOHDJD36K';
const SITE = 'contoso.sharepoint.com,2c712604-1370-44e7-a1f5-426573fda80a,2d2244c3-251a-49ea-93a8-39e1c3a060fe';
const GROUP = '02bd9fd6-8f93-4758-87c3-1fb73740a315';
const USER = 'adele.vance@contoso.com';
const SHARE_URL = 'https://contoso.sharepoint.com/:w:/s/finance/EYk3Ab-budget?e=4:x/y+z';
const SHARE = shareIdFromUrl(SHARE_URL);

/** Every variant: the request a user sends, and the item Graph sees (its decoded path). */
const VARIANTS: Array<{ variant: string; request: Record<string, unknown>; item: string }> = [
  { variant: 'meRoot', request: { target: '/me/drive/root', userId: USER }, item: `users/${USER}/drive/root` },
  { variant: 'driveRoot', request: { target: `/drives/${DRIVE}/root` }, item: `drives/${DRIVE}/root` },
  { variant: 'shareRoot', request: { target: { variant: 'shareRoot', shareUrl: SHARE_URL } }, item: `shares/${SHARE}/root` },
  { variant: 'meItem', request: { target: `/drive/items/${ITEM}`, userId: USER }, item: `users/${USER}/drive/items/${ITEM}` },
  { variant: 'shareItem', request: { shareUrl: SHARE_URL }, item: `shares/${SHARE}/driveItem` },
  { variant: 'meBundle', request: { target: { variant: 'meBundle', itemId: ITEM }, userId: USER }, item: `users/${USER}/drive/bundles/${ITEM}` },
  { variant: 'meSpecial', request: { target: '/beta/drive/special/documents', userId: USER }, item: `users/${USER}/drive/special/documents` },
  { variant: 'meFollowing', request: { target: `/drive/following/${ITEM}`, userId: USER }, item: `users/${USER}/drive/following/${ITEM}` },
  { variant: 'driveItem', request: { target: `/v1.0/drives/${DRIVE}/items/${ITEM}` }, item: `drives/${DRIVE}/items/${ITEM}` },
  { variant: 'siteItem', request: { target: { variant: 'siteItem', siteId: SITE, itemId: ITEM } }, item: `sites/${SITE}/drive/items/${ITEM}` },
  { variant: 'groupItem', request: { target: `/groups/${GROUP}/drive/items/${ITEM}` }, item: `groups/${GROUP}/drive/items/${ITEM}` },
  { variant: 'userItem', request: { target: { variant: 'userItem', userId: USER, itemId: ITEM } }, item: `users/${USER}/drive/items/${ITEM}` },
];

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => world?.stop());
beforeEach(() => world.graph.reset());

describe('every route variant, end to end', () => {
  it.each(VARIANTS)('$variant: HTTP 202 → queue → Graph → one succeeded result', async ({ variant, request, item }) => {
    world.graph.addItem(item);
    const response = await world.post({ ...request, requestId: `http-${variant}`, correlationId: 'corr-1', context: { step: 3 } });
    expect(response.status).toBe(202);
    expect(response.json()).toEqual({ requestId: `http-${variant}`, status: 'accepted' });

    const results = await world.deliver();
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({
      requestId: `http-${variant}`,
      correlationId: 'corr-1',
      action: 'checkout',
      status: 'succeeded',
      variant,
      httpStatus: 204,
      attempts: 1,
      source: 'queue',
      context: { step: 3 },
    });
    expect(world.graph.item(item).checkedOutBy).toBe('app');
    expect(world.graph.calls).toHaveLength(1);
    expect(world.graph.calls[0]).toMatchObject({ method: 'POST', version: 'v1.0', action: 'checkout', itemPath: item, status: 204 });
  });

  it.each(VARIANTS)('$variant: queue message (plain JSON and base64) → one result each', async ({ variant, request, item }) => {
    world.graph.addItem(item);
    // One after the other: a discard that overtook its checkout would rightly fail.
    await world.host.sendMessage(world.requestsQueue, JSON.stringify({ ...request, requestId: `plain-${variant}` }));
    const checkedOut = await world.deliver();
    await world.host.sendMessage(world.requestsQueue, JSON.stringify({ ...request, requestId: `b64-${variant}`, action: 'discardCheckout' }), {
      base64: true,
    });
    const discarded = await world.deliver();
    expect([...checkedOut, ...discarded].map((r) => [r['requestId'], r['action'], r['status']])).toEqual([
      [`plain-${variant}`, 'checkout', 'succeeded'],
      [`b64-${variant}`, 'discardCheckout', 'succeeded'],
    ]);
    expect(world.graph.item(item).checkedOutBy).toBeUndefined();
    expect(world.graph.calls.map((c) => c.itemPath)).toEqual([item, item]);
    expect(await world.host.peekAll(`${world.requestsQueue}-poison`)).toEqual([]);
  });
});

describe('actions', () => {
  const item = `drives/${DRIVE}/items/${ITEM}`;
  const target = `/drives/${DRIVE}/items/${ITEM}`;

  it('checkout, checkin with a comment, then discard of a file no longer checked out (sync)', async () => {
    world.graph.addItem(item);
    const out = await world.post({ target, requestId: 'a-1' }, { query: { mode: 'sync' } });
    expect(out.status).toBe(200);
    expect(out.json()).toMatchObject({ requestId: 'a-1', status: 'succeeded', source: 'http', action: 'checkout' });
    expect(world.graph.item(item).checkedOutBy).toBe('app');

    const back = await world.post({ target: `${target}/checkin`, comment: 'Approved', checkInAs: 'published' }, { query: { mode: 'sync' } });
    expect(back.status).toBe(200);
    expect(world.graph.item(item).checkedOutBy).toBeUndefined();
    expect(world.graph.item(item).checkins).toEqual([{ comment: 'Approved', checkInAs: 'published' }]);

    const discard = await world.post({ target, action: 'discardCheckout' }, { query: { mode: 'sync' } });
    expect(discard.status).toBe(409);
    expect(discard.json()).toMatchObject({ code: 'notCheckedOut', result: { status: 'failed', action: 'discardCheckout' } });

    // Each sync request also wrote its one result to the queue.
    expect((await world.results()).map((r) => r['status'])).toEqual(['succeeded', 'succeeded', 'failed']);
  });

  it('discardCheckout releases a checkout without a new version', async () => {
    world.graph.addItem(item, { checkedOutBy: 'app' });
    const res = await world.post({ target, action: 'discardCheckout' }, { query: { mode: 'sync' } });
    expect(res.status).toBe(200);
    expect(world.graph.item(item).checkedOutBy).toBeUndefined();
    expect(world.graph.item(item).checkins).toEqual([]);
    await world.results();
  });
});
