import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { interpretRequest } from '../../src/checkout/interpret';
import { startWorld, type World } from './world';

const DRIVE = 'b!aG9zdGlsZQ';
const ITEM = '01HOSTILE';
const ok = { target: `/drives/${DRIVE}/items/${ITEM}` };
const json = (value: unknown) => JSON.stringify(value);

/** Broken and hostile inputs as raw text: each must be refused clearly, never reach Graph. */
const CATALOGUE: Array<[string, string]> = [
  ['truncated JSON', '{"target": '],
  ['single-quoted JSON', "{'target': '/drives/x/items/y'}"],
  ['a bare word', 'NaN'],
  ['a JSON string', '"checkout /drives/x/items/y"'],
  ['a JSON array', '[]'],
  ['null', 'null'],
  ['target of the wrong type', json({ target: 42 })],
  ['action of the wrong type', json({ ...ok, action: 1 })],
  ['requestId of the wrong type', json({ ...ok, requestId: 5 })],
  ['context that is a list', json({ ...ok, context: [1, 2] })],
  ['context nested', json({ ...ok, context: { a: { b: 'c' } } })],
  ['no target', json({ action: 'checkout' })],
  ['an empty object', '{}'],
  ['an unknown field', json({ ...ok, force: true })],
  ['__proto__ at the top', `{"__proto__": {"isAdmin": true}, "target": "/drives/${DRIVE}/items/${ITEM}"}`],
  ['__proto__ in the target', `{"target": {"variant": "driveItem", "driveId": "${DRIVE}", "itemId": "${ITEM}", "__proto__": {"x": 1}}}`],
  ['__proto__ in the context', `{"target": "/drives/${DRIVE}/items/${ITEM}", "context": {"__proto__": "x"}}`],
  ['constructor.prototype', json({ ...ok, constructor: { prototype: { polluted: true } } })],
  ['deep nesting', `{"target": ${'['.repeat(20_000)}${']'.repeat(20_000)}}`],
  ['a huge target string', json({ target: '/drives/' + 'a'.repeat(50_000) })],
  ['a null byte in an id', json({ target: `/drives/${DRIVE}/items/01\u0000ABC` })],
  ['a newline in requestId', json({ ...ok, requestId: 'a\nb' })],
  ['a control character in correlationId', json({ ...ok, correlationId: 'x\u0007' })],
  ['a full URL to another host', json({ target: `https://evil.example.com/v1.0/drives/${DRIVE}/items/${ITEM}` })],
  ['a look-alike host', json({ target: `https://graph.microsoft.com.evil.example/v1.0/drives/${DRIVE}/items/${ITEM}` })],
  ['credentials in a URL', json({ target: `https://graph.microsoft.com@evil.example/v1.0/drives/${DRIVE}/items/${ITEM}` })],
  ['a protocol-relative URL', json({ target: `//evil.example/v1.0/drives/${DRIVE}/items/${ITEM}` })],
  ['a shareUrl that is not a URL', json({ shareUrl: 'the budget file' })],
  ['a javascript: shareUrl', json({ shareUrl: 'javascript:alert(1)' })],
  ['a file: shareUrl', json({ shareUrl: 'file:///etc/passwd' })],
  ['an http shareUrl', json({ shareUrl: 'http://contoso.sharepoint.com/x' })],
];

/** Path tricks, tried in every parameter of every kind. */
const TRICKS = ['..', '.', 'a/b', 'a\\b', '%2F', 'a%2Fb', 'a?b=1', 'a#b', 'a b', '０１ＡＢＣ', 'b！abc', 'аbc', '%2e%2e', ''];
const PARAM_TARGETS: Array<(v: string) => unknown> = [
  (v) => ({ variant: 'driveItem', driveId: v, itemId: ITEM }),
  (v) => ({ variant: 'driveItem', driveId: DRIVE, itemId: v }),
  (v) => ({ variant: 'siteItem', siteId: v, itemId: ITEM }),
  (v) => ({ variant: 'groupItem', groupId: v, itemId: ITEM }),
  (v) => ({ variant: 'userItem', userId: v, itemId: ITEM }),
  (v) => ({ variant: 'shareItem', shareId: v }),
  (v) => ({ variant: 'meSpecial', folder: v }),
  (v) => `/drives/${v}/items/${ITEM}`,
  (v) => `/drives/${DRIVE}/items/${v}`,
  (v) => `/sites/${v}/drive/items/${ITEM}`,
];
for (const trick of TRICKS) {
  PARAM_TARGETS.forEach((make, i) => {
    const target = make(trick);
    // Only the me* form takes userId; elsewhere it would be refused for that alone.
    const needsUser = typeof target === 'object' && (target as { variant: string }).variant === 'meSpecial';
    CATALOGUE.push([`trick ${JSON.stringify(trick)} in parameter form ${i}`, json({ target, ...(needsUser && { userId: 'adele@contoso.com' }) })]);
  });
}

let world: World;
beforeAll(async () => {
  world = await startWorld();
  world.graph.addItem(`drives/${DRIVE}/items/${ITEM}`);
});
afterAll(async () => world?.stop());

const VALID_VALUES = [DRIVE, ITEM, 'root', '02bd9fd6-8f93-4758-87c3-1fb73740a315', 'adele@contoso.com', 'u!aHR0cHM6Ly94', 'documents', DRIVE, ITEM, 'root'];

describe('hostile and broken input', () => {
  it('the parameter forms used below are accepted with valid values, so the tricks are what gets refused', () => {
    PARAM_TARGETS.forEach((make, i) => {
      const target = make(VALID_VALUES[i]!);
      const needsUser = typeof target === 'object' && (target as { variant: string }).variant === 'meSpecial';
      const result = interpretRequest({ target, ...(needsUser && { userId: 'adele@contoso.com' }) }, { graphOrigin: 'https://graph.microsoft.com', newRequestId: () => 'x' });
      expect(result.ok, `form ${i}`).toBe(true);
    });
  });

  it(`${CATALOGUE.length} inputs over HTTP: each a 4xx problem, never a 500, never a Graph call`, async () => {
    for (const [name, body] of CATALOGUE) {
      for (const mode of ['sync', 'async']) {
        const response = await world.post(undefined, { rawBody: body, query: { mode } });
        expect(response.status, `${name} (${mode})`).toBeGreaterThanOrEqual(400);
        expect(response.status, `${name} (${mode})`).toBeLessThan(500);
        expect(response.headers['content-type'], name).toMatch(/^application\/problem\+json/);
        expect((response.json() as { detail: string }).detail.length, name).toBeGreaterThan(0);
      }
    }
    expect(world.graph.calls).toEqual([]);
    expect(await world.results()).toEqual([]);
    expect(({} as Record<string, unknown>)['isAdmin']).toBeUndefined();
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('the same inputs as queue messages (plain and base64): one rejected result each, nothing poisoned', async () => {
    const queueable = CATALOGUE.filter(([, body]) => body.length < 40_000); // a queue message holds 64 KiB
    for (const [, body] of queueable) {
      await world.host.sendMessage(world.requestsQueue, body);
      await world.host.sendMessage(world.requestsQueue, body, { base64: true });
    }
    await world.host.sendMessage(world.requestsQueue, Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x00, 0x01]).toString('base64'));
    const results = await world.deliver({ timeoutMs: 60_000 });
    expect(results).toHaveLength(queueable.length * 2 + 1);
    for (const result of results) {
      expect(result).toMatchObject({ status: 'rejected', attempts: 0, error: { retryable: false } });
      expect(String((result['error'] as { message: string }).message).length).toBeGreaterThan(0);
    }
    expect(await world.host.peekAll(`${world.requestsQueue}-poison`)).toEqual([]);
    expect(world.graph.calls).toEqual([]);
  });
});
