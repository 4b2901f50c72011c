import './verboseAzureLogs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_ID, startWorld, type World } from './world';

const DRIVE = 'b!aWRlbnRpdHk';
const target = (item: string) => `/drives/${DRIVE}/items/${item}`;

let world: World;
const captured: string[] = [];
const originalWrite = process.stderr.write.bind(process.stderr);
const originalOut = process.stdout.write.bind(process.stdout);

beforeAll(async () => {
  // With the Azure SDK's logging all the way up (see verboseAzureLogs), keep every byte
  // written anywhere: the token must not appear in any of it.
  const capture = (chunk: unknown) => {
    captured.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    return true;
  };
  process.stderr.write = capture as typeof process.stderr.write;
  process.stdout.write = capture as typeof process.stdout.write;
  world = await startWorld({ GRAPH_RETRY_BUDGET_MS: '1500' });
});
afterAll(async () => {
  process.stderr.write = originalWrite;
  process.stdout.write = originalOut;
  await world?.stop();
});

describe('the managed-identity token', () => {
  it('is fetched once for the user-assigned identity, sent as a bearer token, and never appears in a log, result or response', async () => {
    world.graph.addItem(`drives/${DRIVE}/items/OK`);
    world.graph.addItem(`drives/${DRIVE}/items/DENIED`, { denied: true });
    world.graph.addItem(`drives/${DRIVE}/items/HOT`);
    world.graph.inject({ status: 429, retryAfter: 1, match: (call) => call.itemPath.endsWith('/HOT') });

    const responses = [
      await world.post({ target: target('OK') }, { query: { mode: 'sync' } }),
      await world.post({ target: target('DENIED') }, { query: { mode: 'sync' } }),
      await world.post({ target: target('HOT') }),
      await world.post({ target: target('MISSING') }),
      await world.post({ target: '/me/drive/root' }),
    ];
    const results = [...(await world.results()), ...(await world.deliver())];
    expect(results.map((r) => r['status']).sort()).toEqual(['failed', 'failed', 'succeeded', 'succeeded']);

    expect(world.identity.requests).toHaveLength(1);
    expect(world.identity.requests[0]!.clientId).toBe(CLIENT_ID);
    const [token] = world.identity.issuedTokens;
    expect(token).toBeDefined();
    expect(world.graph.calls.length).toBeGreaterThanOrEqual(5);
    for (const call of world.graph.calls) {
      expect(call.authorization).toBe(`Bearer ${token}`);
      expect(call.userAgent).toMatch(/^graph-checkout-functions\/\d+\.\d+\.\d+ /);
      expect(call.clientRequestId).toBeDefined();
    }

    const everything = [
      ...captured,
      ...world.host.logs,
      ...world.host.hostLogs,
      ...results.map((r) => JSON.stringify(r)),
      ...responses.map((r) => JSON.stringify(r)),
    ].join('\n');
    expect(captured.join('').length).toBeGreaterThan(0); // the SDK did log, verbosely
    expect(everything).not.toContain(token!);
    expect(everything).not.toContain(token!.slice(3, 20));
  });
});
