import { describe, expect, it } from 'vitest';
import { useWorld } from './world';

const DRIVE = 'b!ZmluYW5jZS1kcml2ZQ';
const target = (item: string) => `/drives/${DRIVE}/items/${item}`;
const itemPath = (item: string) => `drives/${DRIVE}/items/${item}`;

// A 2 s retry budget keeps the throttling cases quick; a 1 s attempt timeout the slow ones.
const world = useWorld({ GRAPH_RETRY_BUDGET_MS: '2000', GRAPH_TIMEOUT_MS: '1000' });

async function sync(body: Record<string, unknown>) {
  const response = await world.post(body, { query: { mode: 'sync' } });
  const results = await world.results();
  expect(results).toHaveLength(1);
  return { response, json: response.json() as Record<string, unknown>, result: results[0]! };
}

describe('Graph failures become clear result codes (sync HTTP, and on the results queue)', () => {
  it('404 itemNotFound → notFound (404)', async () => {
    const { response, result } = await sync({ target: target('MISSING') });
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(result).toMatchObject({ status: 'failed', httpStatus: 404, error: { code: 'notFound', retryable: false, graphCode: 'itemNotFound' } });
    expect((result['error'] as Record<string, unknown>)['graphRequestId']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('403 accessDenied → accessDenied (403), telling which permission to grant', async () => {
    world.graph.addItem(itemPath('DENIED'), { denied: true });
    const { response, result } = await sync({ target: target('DENIED') });
    expect(response.status).toBe(403);
    expect(result).toMatchObject({ error: { code: 'accessDenied', graphCode: 'accessDenied' } });
    expect(JSON.stringify(result)).toMatch(/Files\.ReadWrite\.All|Sites\.ReadWrite\.All/);
  });

  it('423 resourceLocked → locked (409)', async () => {
    world.graph.addItem(itemPath('LOCKED'), { locked: true });
    const { response, result } = await sync({ target: target('LOCKED') });
    expect(response.status).toBe(409);
    expect(result).toMatchObject({ httpStatus: 423, error: { code: 'locked', graphCode: 'resourceLocked' } });
  });

  it("SharePoint's 500 -1 UnknownError: retried once, then locked, naming who holds the file", async () => {
    world.graph.addItem(itemPath('HELD'), { checkedOutBy: 'megan@contoso.com' });
    world.graph.addUser('megan@contoso.com', { displayName: 'Megan Bowen', email: 'megan@contoso.com' });
    const { response, result } = await sync({ target: target('HELD') });
    expect(response.status).toBe(409);
    expect(result).toMatchObject({
      httpStatus: 500,
      attempts: 2,
      error: {
        code: 'locked',
        graphCode: '-1, Microsoft.SharePoint.Client.UnknownError',
        checkedOutBy: { displayName: 'Megan Bowen', email: 'megan@contoso.com', lookupId: expect.stringMatching(/^\d+$/) },
      },
    });
    expect((result['error'] as { message: string }).message).toMatch(/^The file is checked out by Megan Bowen <megan@contoso.com>\./);
    expect(world.graph.calls.filter((c) => c.method === 'POST').map((c) => c.status)).toEqual([500, 500]);
    expect(world.graph.item(itemPath('HELD')).checkedOutBy).toBe('megan@contoso.com');
  });

  it("SharePoint's 500 -1 UnknownError that was only a hiccup: the one retry succeeds", async () => {
    world.graph.addItem(itemPath('HICCUP'));
    world.graph.inject({ status: 500, code: '-1, Microsoft.SharePoint.Client.UnknownError', message: 'Unknown Error' });
    const { response, result } = await sync({ target: target('HICCUP') });
    expect(response.status).toBe(200);
    expect(result).toMatchObject({ status: 'succeeded', attempts: 2 });
  });

  it('a 423 on checkout also says who holds the file where Graph can tell', async () => {
    world.graph.addItem(`sites/contoso.sharepoint.com/drive/items/LOCKED2`, { locked: true, checkedOutBy: 'lee@contoso.com' });
    world.graph.addUser('lee@contoso.com', { displayName: 'Lee Gu' });
    const { result } = await sync({ target: '/sites/contoso.sharepoint.com/drive/items/LOCKED2' });
    expect(result).toMatchObject({ error: { code: 'locked', checkedOutBy: { displayName: 'Lee Gu' } } });
  });

  it('personal OneDrive 400 "API not found" → notSupported (400)', async () => {
    world.graph.addItem(itemPath('PERSONAL'), { personal: true });
    const { response, result } = await sync({ target: target('PERSONAL') });
    expect(response.status).toBe(400);
    expect(result).toMatchObject({ error: { code: 'notSupported', graphCode: 'invalidRequest' } });
  });

  it('check-in of a file that is not checked out → notCheckedOut (409)', async () => {
    world.graph.addItem(itemPath('FREE'));
    const { response, result } = await sync({ target: target('FREE'), action: 'checkin' });
    expect(response.status).toBe(409);
    expect(result).toMatchObject({ action: 'checkin', error: { code: 'notCheckedOut' } });
  });

  it('429 with a Retry-After beyond the in-call budget → throttled (503 + Retry-After), after one call', async () => {
    world.graph.addItem(itemPath('HOT'));
    world.graph.inject({ status: 429, retryAfter: 120, times: 5 });
    const { response, result } = await sync({ target: target('HOT') });
    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBe('120');
    expect(result).toMatchObject({ attempts: 1, error: { code: 'throttled', retryable: true, retryAfterSeconds: 120 } });
    expect(world.graph.calls).toHaveLength(1);
  });

  it('429 then 503 with short Retry-After are waited out inside the call, never early', async () => {
    world.graph.addItem(itemPath('WARM'));
    world.graph.inject({ status: 429, retryAfter: 1 });
    world.graph.inject({ status: 503, retryAfter: new Date(Date.now() + 1000).toUTCString() });
    const started = Date.now();
    const { response, result } = await sync({ target: target('WARM') });
    expect(response.status).toBe(200);
    expect(result).toMatchObject({ status: 'succeeded', attempts: 3 });
    expect(world.graph.earlyRetries).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  });

  it('503 without Retry-After until the budget is spent → graphUnavailable (503)', async () => {
    world.graph.addItem(itemPath('DOWN'));
    world.graph.inject({ status: 503, times: 100 });
    const { response, result } = await sync({ target: target('DOWN') });
    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBeDefined();
    expect(result).toMatchObject({ error: { code: 'graphUnavailable', retryable: true } });
    expect(result['attempts']).toBeGreaterThan(1);
  });

  it('a Graph that does not answer → timeout (504)', async () => {
    world.graph.addItem(itemPath('SLOW'));
    world.graph.inject({ status: 204, delayMs: 1500, times: 100 });
    const { response, result } = await sync({ target: target('SLOW') });
    expect(response.status).toBe(504);
    expect(result).toMatchObject({ error: { code: 'timeout', retryable: true } });
  });

  it('a connection reset is retried', async () => {
    world.graph.addItem(itemPath('RESET'));
    world.graph.inject({ status: 0, reset: true });
    const { response, result } = await sync({ target: target('RESET') });
    expect(response.status).toBe(200);
    expect(result).toMatchObject({ status: 'succeeded', attempts: 2 });
  });
});

describe('requests refused before any Graph call', () => {
  it.each([
    ['delegatedRouteNeedsUser', { target: '/me/drive/items/01ABC' }, '/userId'],
    ['unknownRoute', { target: `/drives/${DRIVE}/list` }, '/target'],
    ['invalidRequest', { target: target('X'), acton: 'checkin' }, '/acton'],
    ['invalidRequest', { target: `https://evil.example.com/v1.0/drives/${DRIVE}/items/X` }, '/target'],
  ])('%s → 400 problem+json naming %s', async (code, body, pointer) => {
    for (const mode of ['sync', 'async']) {
      const response = await world.post(body, { query: { mode } });
      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      const problem = response.json() as { code: string; type: string; errors: Array<{ pointer: string }> };
      expect(problem).toMatchObject({ code, status: 400, type: `urn:graph-checkout:problem:${code}` });
      expect(problem.errors.map((e) => e.pointer)).toContain(pointer);
    }
    expect(world.graph.calls).toHaveLength(0);
    expect(await world.results()).toEqual([]);
  });

  it.each([
    ['oversized body', { rawBody: JSON.stringify({ target: 'x'.repeat(70_000) }) }, 413],
    ['non-JSON content type', { rawBody: 'target=/drives/x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 415],
    ['malformed JSON', { rawBody: '{"target": ' }, 400],
    ['empty body', { rawBody: '' }, 400],
    ['JSON that is not an object', { rawBody: '[1,2]' }, 400],
    ['unknown mode', { rawBody: '{}', query: { mode: 'later' } }, 400],
  ])('%s → %s problem, never a 500', async (_name, options, status) => {
    const response = await world.post(undefined, options);
    expect(response.status).toBe(status);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ status, detail: expect.any(String) });
  });
});
