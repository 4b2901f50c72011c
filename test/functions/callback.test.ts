import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callbackUrlProblem, isPrivateAddress } from '../../src/checkout/callback';
import { startWorld, type World } from './world';

const DRIVE = 'b!Y2FsbGJhY2s';
const target = (item: string) => `/drives/${DRIVE}/items/${item}`;

/** Stands in for Logic Apps' callback endpoint: a real HTTP server on loopback. */
const received: Array<{ path: string; body: Record<string, unknown>; contentType: string | undefined }> = [];
const receiver = createServer((req: IncomingMessage, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    received.push({ path: req.url ?? '', body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>, contentType: req.headers['content-type'] });
    res.writeHead(200).end();
  });
});
let callbackBase = '';
let world: World;

beforeAll(async () => {
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  callbackBase = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  // Loopback callbacks are allowed only because the allowlist names 127.0.0.1 (as for a local run).
  world = await startWorld({ CALLBACK_ALLOWED_HOSTS: '127.0.0.1,*.logic.azure.com' });
});
afterAll(async () => {
  await world?.stop();
  await new Promise((resolve) => receiver.close(resolve));
});

describe("Logic Apps' HTTP Webhook pattern: callbackUrl", () => {
  it('POSTs the result to the callbackUrl when the queued request is done', async () => {
    world.graph.addItem(`drives/${DRIVE}/items/CB`);
    const response = await world.post({ requestId: 'cb-1', target: target('CB'), callbackUrl: `${callbackBase}/workflows/run/cb-1?sig=abc` });
    expect(response.status).toBe(202);
    expect(received).toHaveLength(0);
    const [result] = await world.deliver();
    expect(received).toEqual([{ path: '/workflows/run/cb-1?sig=abc', contentType: 'application/json', body: result }]);
    expect(received[0]!.body).toMatchObject({ requestId: 'cb-1', status: 'succeeded' });
  });

  it('POSTs failed results too, so the waiting workflow resumes either way', async () => {
    received.length = 0;
    await world.post({ requestId: 'cb-2', target: target('GONE'), callbackUrl: `${callbackBase}/cb-2` }, { query: { mode: 'sync' } });
    expect(received.map((r) => r.body['status'])).toEqual(['failed']);
    await world.results();
  });

  it.each([
    ['a host not on the allowlist', 'https://example.com/hook'],
    ['plain http to an allowed domain', 'http://prod-12.westeurope.logic.azure.com/workflows/x'],
    ['a private address', 'https://10.0.0.4/hook'],
    ['link-local (cloud metadata)', 'https://169.254.169.254/metadata'],
    ['loopback under another name', 'http://localhost:7071/api/checkout'],
    ['credentials in the URL', 'https://user:pw@prod-12.westeurope.logic.azure.com/x'],
    ['not a URL', 'call me back'],
  ])('refuses %s with a 400 naming /callbackUrl', async (_name, callbackUrl) => {
    const response = await world.post({ target: target('CB'), callbackUrl });
    expect(response.status).toBe(400);
    expect((response.json() as { errors: Array<{ pointer: string }> }).errors.map((e) => e.pointer)).toEqual(['/callbackUrl']);
  });

  it("accepts Logic Apps' own callback hosts by default pattern", () => {
    expect(callbackUrlProblem('https://prod-12.westeurope.logic.azure.com:443/workflows/abc/runs/x?api-version=2016-06-01&sig=y', ['*.logic.azure.com'])).toBeUndefined();
    expect(callbackUrlProblem('https://logic.azure.com.evil.example/x', ['*.logic.azure.com'])).toBeDefined();
    expect(callbackUrlProblem('https://evillogic.azure.com/x', ['*.logic.azure.com'])).toBeDefined();
  });

  it('classifies private and public addresses', () => {
    for (const a of ['10.1.2.3', '172.16.0.1', '192.168.1.1', '127.0.0.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fd00::1', 'fe80::1', '::ffff:10.0.0.1']) {
      expect(isPrivateAddress(a), a).toBe(true);
    }
    for (const a of ['20.190.151.68', '8.8.8.8', '172.32.0.1', '2603:1030::1']) expect(isPrivateAddress(a), a).toBe(false);
  });
});
