import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startGraphEmulator, type GraphEmulator } from './graphEmulator';
import type { GraphErrorBody } from './graphErrors';

const GOOD = 'mi.good-token';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface PostOptions {
  token?: string | null;
  body?: string;
  headers?: Record<string, string>;
  method?: string;
}

function poster(graph: () => GraphEmulator) {
  return async (path: string, o: PostOptions = {}): Promise<Response> => {
    const headers: Record<string, string> = { ...o.headers };
    if (o.token !== null) headers.Authorization = `Bearer ${o.token ?? GOOD}`;
    if (o.body !== undefined) headers['Content-Type'] = 'application/json';
    return fetch(`${graph().url}${path}`, { method: o.method ?? 'POST', headers, ...(o.body !== undefined ? { body: o.body } : {}) });
  };
}

async function errorOf(res: Response): Promise<GraphErrorBody['error']> {
  expect(res.headers.get('content-type')).toBe('application/json');
  return ((await res.json()) as GraphErrorBody).error;
}

describe('graph emulator', () => {
  let graph: GraphEmulator;
  const post = poster(() => graph);

  beforeAll(async () => {
    graph = await startGraphEmulator({ isValidToken: (t) => t === GOOD });
  });
  afterEach(() => graph.reset());
  afterAll(async () => graph.stop());

  it('answers 401 InvalidAuthenticationToken in Graph error shape, with request ids', async () => {
    graph.addItem('drives/d1/items/i1');
    const missing = await post('/v1.0/drives/d1/items/i1/checkout', { token: null, headers: { 'client-request-id': 'abc-123' } });
    expect(missing.status).toBe(401);
    expect(missing.headers.get('request-id')).toMatch(GUID);
    expect(missing.headers.get('client-request-id')).toBe('abc-123');
    const body = (await missing.json()) as GraphErrorBody;
    expect(Object.keys(body)).toEqual(['error']);
    expect(Object.keys(body.error)).toEqual(['code', 'message', 'innerError']);
    expect(body.error.code).toBe('InvalidAuthenticationToken');
    expect(body.error.innerError['request-id']).toBe(missing.headers.get('request-id'));
    expect(body.error.innerError['client-request-id']).toBe('abc-123');
    expect(body.error.innerError.date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);

    const wrong = await post('/v1.0/drives/d1/items/i1/checkout', { token: 'forged' });
    expect(wrong.status).toBe(401);
    expect((await errorOf(wrong)).code).toBe('InvalidAuthenticationToken');
    expect(graph.item('drives/d1/items/i1').checkedOutBy).toBeUndefined();
  });

  it('gives every response a fresh request-id and a client-request-id', async () => {
    graph.addItem('drives/d1/items/i1');
    const a = await post('/v1.0/drives/d1/items/i1/checkout');
    const b = await post('/v1.0/drives/d1/items/i1/checkout');
    expect(a.headers.get('request-id')).toMatch(GUID);
    expect(a.headers.get('request-id')).not.toBe(b.headers.get('request-id'));
    expect(a.headers.get('client-request-id')).toBe(a.headers.get('request-id'));
  });

  it('runs checkout → checkin → discard like SharePoint does for the app', async () => {
    const item = graph.addItem('drives/b!abc/items/01ABC');
    const checkout = await post('/v1.0/drives/b%21abc/items/01ABC/checkout');
    expect(checkout.status).toBe(204);
    expect(await checkout.text()).toBe('');
    expect(item.checkedOutBy).toBe('app');
    expect((await post('/v1.0/drives/b%21abc/items/01ABC/checkout')).status).toBe(204);

    const checkin = await post('/beta/drives/b%21abc/items/01ABC/checkin', {
      body: JSON.stringify({ comment: 'done', checkInAs: 'published' }),
    });
    expect(checkin.status).toBe(204);
    expect(item.checkedOutBy).toBeUndefined();
    expect(item.checkins).toEqual([{ comment: 'done', checkInAs: 'published' }]);

    const again = await post('/v1.0/drives/b%21abc/items/01ABC/checkin', { body: '{}' });
    expect(again.status).toBe(400);
    expect(await errorOf(again)).toMatchObject({ code: 'invalidRequest', message: 'The file is not checked out.' });
    const discardIdle = await post('/v1.0/drives/b%21abc/items/01ABC/discardCheckout');
    expect(discardIdle.status).toBe(400);

    expect((await post('/v1.0/drives/b%21abc/items/01ABC/checkout')).status).toBe(204);
    expect((await post('/v1.0/drives/b%21abc/items/01ABC/discardCheckout')).status).toBe(204);
    // Re-checkout by the holder is a successful call too.
    expect(item).toMatchObject({ checkouts: 3, discards: 1 });
    expect(item.checkedOutBy).toBeUndefined();

    const badJson = await post('/v1.0/drives/b%21abc/items/01ABC/checkin', { body: '{nope' });
    expect(badJson.status).toBe(400);
    expect((await errorOf(badJson)).code).toBe('BadRequest');
  });

  it('refuses when another user holds the checkout', async () => {
    graph.addItem('sites/s1/drive/items/i2', { checkedOutBy: 'alice@contoso.com' });
    const checkout = await post('/v1.0/sites/s1/drive/items/i2/checkout');
    expect(checkout.status).toBe(500);
    expect(await errorOf(checkout)).toMatchObject({
      code: '-1, Microsoft.SharePoint.Client.UnknownError',
      message: 'Unknown Error',
    });
    expect((await errorOf(await post('/v1.0/sites/s1/drive/items/i2/checkin', { body: '{}' }))).code).toBe('resourceLocked');
    const discard = await post('/v1.0/sites/s1/drive/items/i2/discardCheckout');
    expect(discard.status).toBe(423);
    expect(graph.item('sites/s1/drive/items/i2').checkedOutBy).toBe('alice@contoso.com');
  });

  it.each([
    ['missing', undefined, 404, 'itemNotFound', 'The resource could not be found.'],
    ['denied', { denied: true }, 403, 'accessDenied', 'Access denied'],
    ['locked', { locked: true }, 423, 'resourceLocked', 'The resource you are attempting to access is locked'],
    ['personal', { personal: true }, 400, 'invalidRequest', 'API not found'],
  ] as const)('answers a %s item with %#', async (_label, init, status, code, message) => {
    if (init) graph.addItem('users/u1/drive/items/x', init);
    const res = await post('/v1.0/users/u1/drive/items/x/checkout');
    expect(res.status).toBe(status);
    expect(await errorOf(res)).toMatchObject({ code, message });
  });

  it.each([
    ['/v1.0/drives/b%21d/root/checkout', 'drives/b!d/root'],
    ['/v1.0/drives/b%21d/items/01%2BX/checkout', 'drives/b!d/items/01+X'],
    ['/v1.0/shares/u%21aHR0cHM6Ly9jb250b3Nv/root/checkout', 'shares/u!aHR0cHM6Ly9jb250b3Nv/root'],
    ['/v1.0/shares/s1/driveItem/checkout', 'shares/s1/driveItem'],
    ['/v1.0/sites/contoso.sharepoint.com%2C1%2C2/drive/items/i/checkout', 'sites/contoso.sharepoint.com,1,2/drive/items/i'],
    ['/v1.0/groups/g1/drive/items/i/checkout', 'groups/g1/drive/items/i'],
    ['/v1.0/users/a%40b.com/drive/items/i/checkout', 'users/a@b.com/drive/items/i'],
    ['/v1.0/users/u/drive/root/checkout', 'users/u/drive/root'],
    ['/v1.0/users/u/drive/bundles/b1/checkout', 'users/u/drive/bundles/b1'],
    ['/v1.0/users/u/drive/special/documents/checkout', 'users/u/drive/special/documents'],
    ['/v1.0/users/u/drive/following/f1/checkout', 'users/u/drive/following/f1'],
    ['/v1.0/drives/d/root:/Folder%20A/file.docx:/checkout', 'drives/d/root:/Folder A/file.docx:'],
    ['/beta/sites/s/drives/d/items/i/checkout', 'sites/s/drives/d/items/i'],
  ])('understands %s', async (url, itemPath) => {
    graph.addItem(itemPath);
    const res = await post(url);
    expect(res.status).toBe(204);
    expect(graph.calls.at(-1)).toMatchObject({ itemPath, action: 'checkout' });
    expect(graph.item(itemPath).checkedOutBy).toBe('app');
  });

  it.each(['/v1.0/me/drive/items/i/checkout', '/v1.0/me/drive/root/checkin', '/v1.0/drive/items/i/discardCheckout', '/beta/drive/root/checkout'])(
    'refuses %s for an app-only token',
    async (url) => {
      const res = await post(url);
      expect(res.status).toBe(400);
      expect(await errorOf(res)).toMatchObject({
        code: 'BadRequest',
        message: '/me request is only valid with delegated authentication flow.',
      });
    }
  );

  it.each([
    ['/v1.0/drives/d/items/i/lock', "'lock'"],
    ['/v1.0/drives/d/folders/i/checkout', "'folders'"],
    ['/v1.0/sites/s/lists/l/checkout', "'lists'"],
    ['/v1.0/shares/s/items/i/checkout', "'items'"],
    ['/v1.0/widgets/w/checkout', "'widgets'"],
  ])('refuses unknown route %s', async (url, segment) => {
    const res = await post(url);
    expect(res.status).toBe(400);
    const error = await errorOf(res);
    expect(error.code).toBe('BadRequest');
    expect(error.message).toBe(`Resource not found for the segment ${segment}.`);
  });

  it('records calls with headers, body and status', async () => {
    graph.addItem('drives/d/items/i', { checkedOutBy: 'app' });
    await post('/v1.0/drives/d/items/i/checkin?x=1', {
      body: '{"comment":"c"}',
      headers: { 'User-Agent': 'probe/1.0', 'client-request-id': 'cr-1' },
    });
    expect(graph.calls).toHaveLength(1);
    expect(graph.calls[0]).toMatchObject({
      method: 'POST',
      path: '/v1.0/drives/d/items/i/checkin?x=1',
      version: 'v1.0',
      action: 'checkin',
      itemPath: 'drives/d/items/i',
      authorization: `Bearer ${GOOD}`,
      userAgent: 'probe/1.0',
      clientRequestId: 'cr-1',
      body: '{"comment":"c"}',
      status: 204,
    });
    expect(graph.calls[0]?.at).toBeLessThanOrEqual(Date.now());
  });

  it('injects faults for the next matching calls only', async () => {
    graph.addItem('drives/d/items/a');
    graph.addItem('drives/d/items/b');
    graph.inject({ times: 2, status: 503, retryAfter: 7, match: (c) => c.itemPath === 'drives/d/items/b' });
    expect((await post('/v1.0/drives/d/items/a/checkout')).status).toBe(204);
    const first = await post('/v1.0/drives/d/items/b/checkout');
    expect(first.status).toBe(503);
    expect(first.headers.get('retry-after')).toBe('7');
    expect((await errorOf(first)).code).toBe('serviceNotAvailable');
    expect((await post('/v1.0/drives/d/items/b/checkout')).status).toBe(503);
    expect((await post('/v1.0/drives/d/items/b/checkout')).status).toBe(204);

    graph.inject({ status: 429, code: 'activityLimitReached', message: 'throttled', retryAfter: 'Wed, 21 Oct 2015 07:28:00 GMT' });
    const throttled = await post('/v1.0/drives/d/items/a/checkin', { body: '{}' });
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('Wed, 21 Oct 2015 07:28:00 GMT');
    expect(await errorOf(throttled)).toMatchObject({ code: 'activityLimitReached', message: 'throttled' });
    // The fault replaced processing, so the item stays checked out.
    expect(graph.item('drives/d/items/a').checkedOutBy).toBe('app');
  });

  it('can delay, and can reset the connection without answering', async () => {
    graph.addItem('drives/d/items/i');
    graph.inject({ status: 504, delayMs: 150 });
    const started = Date.now();
    expect((await post('/v1.0/drives/d/items/i/checkout')).status).toBe(504);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);

    graph.inject({ status: 0, reset: true });
    await expect(post('/v1.0/drives/d/items/i/checkout')).rejects.toThrow();
    expect(graph.calls.at(-1)?.status).toBe(0);
    expect((await post('/v1.0/drives/d/items/i/checkout')).status).toBe(204);
  });

  it('counts retries that ignore Retry-After, per item and action', async () => {
    graph.addItem('drives/d/items/i');
    graph.inject({ status: 429, retryAfter: 1 });
    expect((await post('/v1.0/drives/d/items/i/checkout')).status).toBe(429);
    expect((await post('/v1.0/drives/d/items/i/checkout')).status).toBe(204);
    expect(graph.earlyRetries).toBe(1);
    // Another action on the same item was never told to wait.
    expect((await post('/v1.0/drives/d/items/i/discardCheckout')).status).toBe(204);
    expect(graph.earlyRetries).toBe(1);

    graph.addItem('drives/d/items/j');
    graph.inject({ status: 503, retryAfter: 1 });
    expect((await post('/v1.0/drives/d/items/j/checkout')).status).toBe(503);
    await new Promise((r) => setTimeout(r, 1050));
    expect((await post('/v1.0/drives/d/items/j/checkout')).status).toBe(204);
    expect(graph.earlyRetries).toBe(1);
  });

  it('reset() forgets calls, faults and items', async () => {
    graph.addItem('drives/d/items/i');
    graph.inject({ status: 500, times: 5 });
    await post('/v1.0/drives/d/items/i/checkout');
    graph.reset();
    expect(graph.calls).toHaveLength(0);
    expect(() => graph.item('drives/d/items/i')).toThrow(/no item/);
    expect((await post('/v1.0/drives/d/items/i/checkout')).status).toBe(404);
  });
});

describe('graph emulator options', () => {
  it('throttles beyond rateLimit.perSecond with whole-second Retry-After', async () => {
    const graph = await startGraphEmulator({ isValidToken: () => true, rateLimit: { perSecond: 3 } });
    try {
      graph.addItem('drives/d/items/i');
      const post = poster(() => graph);
      const responses = await Promise.all(Array.from({ length: 5 }, () => post('/v1.0/drives/d/items/i/checkout')));
      const statuses = responses.map((r) => r.status).sort();
      expect(statuses).toEqual([204, 204, 204, 429, 429]);
      const throttled = responses.find((r) => r.status === 429);
      expect(throttled?.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
      expect((await errorOf(throttled as Response)).code).toBe('TooManyRequests');
    } finally {
      await graph.stop();
    }
  });

  it('counts over longer windows, telling a throttled call to wait for the window to end', async () => {
    const graph = await startGraphEmulator({ isValidToken: () => true, rateLimit: { perSecond: 2, windowSeconds: 3 } });
    try {
      graph.addItem('drives/d/items/i');
      const post = poster(() => graph);
      const responses = await Promise.all(Array.from({ length: 8 }, () => post('/v1.0/drives/d/items/i/checkout')));
      expect(responses.filter((r) => r.status === 204)).toHaveLength(6);
      const throttled = responses.filter((r) => r.status === 429);
      expect(throttled).toHaveLength(2);
      for (const response of throttled) expect(response.headers.get('retry-after')).toBe('3');
    } finally {
      await graph.stop();
    }
  });

  it('adds latencyMs to every answer and stops cleanly with a call in flight', async () => {
    const graph = await startGraphEmulator({ isValidToken: () => true, latencyMs: 100 });
    const post = poster(() => graph);
    const started = Date.now();
    expect((await post('/v1.0/drives/d/items/i/checkout')).status).toBe(404);
    expect(Date.now() - started).toBeGreaterThanOrEqual(95);
    graph.inject({ status: 503, delayMs: 60_000 });
    const hanging = post('/v1.0/drives/d/items/i/checkout').catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 150));
    await graph.stop();
    expect(await hanging).toBeInstanceOf(Error);
  });
});
