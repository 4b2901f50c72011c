import type { HttpHandler } from '@azure/functions';
import { spawn, spawnSync } from 'node:child_process';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeServer, findFreePort, listenOnLoopback } from '../support';
import { startWorld, type World } from '../functions/world';

const SMOKE = 'scripts/smoke.mjs';
const DRIVE = 'b!c21va2UtZHJpdmU';
const TARGET = `/drives/${DRIVE}/items/SMOKE1`;

function smokeSync(args: string[], env: Record<string, string> = {}) {
  const run = spawnSync(process.execPath, [SMOKE, ...args], { encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '', ...env } });
  return { status: run.status, out: run.stdout + run.stderr };
}

describe('npm run smoke: arguments', () => {
  it('prints usage for --help and exits 0', () => {
    const { status, out } = smokeSync(['--help']);
    expect(status).toBe(0);
    expect(out).toContain('Usage: npm run smoke -- <function-url>');
  });

  it.each([
    [[], 'Give exactly one function URL'],
    [['not a url', '--target', TARGET], 'is not a URL'],
    [['ftp://example.com', '--target', TARGET], 'must be http(s)'],
    [['http://localhost:7071'], 'Give the file to check out'],
    [['http://localhost:7071', '--target', TARGET, '--action', 'lock'], '--action must be one of checkout, checkin, discardCheckout'],
    [['http://localhost:7071', '--target', TARGET, '--timeout', '5s'], '--timeout must be whole seconds'],
    [['http://localhost:7071', '--target', TARGET, '--verbose'], "Unknown option '--verbose'"],
    [['https://func-api-x.azurewebsites.net', '--target', TARGET], 'AZURE_STORAGE_QUEUE_ENDPOINT'],
  ])('refuses %j with exit code 2: %s', (args, message) => {
    const { status, out } = smokeSync(args);
    expect(status).toBe(2);
    expect(out).toContain(message);
  });

});

describe('npm run smoke: against the real handler', () => {
  let world: World;
  let server: Server;
  let url: string;
  const seen: IncomingHttpHeaders[] = [];

  beforeAll(async () => {
    world = await startWorld();
    const { checkoutHttp } = await import('../../src/functions/checkoutHttp');
    const { requestsQueueOutput, resultsQueueOutput } = await import('../../src/app/bindings');
    // Plays the Functions host's HTTP front: the request goes to the real handler, and queued
    // requests are delivered to the queue function once the answer is out.
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        seen.push(req.headers);
        const target = new URL(req.url ?? '/', 'http://localhost');
        void world.host
          .invokeHttp({
            name: 'checkoutHttp',
            handler: checkoutHttp as HttpHandler,
            request: {
              method: req.method ?? 'POST',
              url: target.toString(),
              headers: { 'content-type': String(req.headers['content-type']) },
              body: Buffer.concat(chunks).toString('utf8'),
            },
            extraOutputs: [requestsQueueOutput, resultsQueueOutput],
          })
          .then((response) => {
            res.writeHead(response.status, response.headers).end(response.body);
            return world.host.deliverAll({ visibilityTimeoutOverrideMs: 50 });
          });
      });
    });
    url = `http://127.0.0.1:${await listenOnLoopback(server)}`;
  });
  afterAll(async () => {
    await closeServer(server);
    await world?.stop();
  });

  function smoke(args: string[], options: { url?: string; env?: Record<string, string> } = {}): Promise<{ status: number | null; out: string }> {
    const child = spawn(process.execPath, [SMOKE, options.url ?? url, ...args], {
      env: {
        PATH: process.env['PATH'] ?? '',
        AzureWebJobsStorage: world.azurite.connectionString,
        CHECKOUT_FUNCTION_KEY: 'smoke-key-123',
        CHECKOUT_RESULTS_QUEUE: world.resultsQueue,
        ...options.env,
      },
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    return new Promise((resolve) => child.on('close', (status) => resolve({ status, out })));
  }

  it('sends a request with the key, finds its result on the results queue, and passes', async () => {
    world.graph.addItem(`drives/${DRIVE}/items/SMOKE1`);
    const { status, out } = await smoke(['--target', TARGET, '--timeout', '20']);
    expect(out).toMatch(/1\/4 Results queue: .*checkout-results/);
    expect(out).toMatch(/2\/4 POST http:\/\/127\.0\.0\.1:\d+\/api\/checkout {2}\(requestId smoke-[0-9a-f-]{36}, checkout \/drives\//);
    expect(out).toContain('202 Accepted');
    expect(out).toContain('4/4 Result:');
    expect(out).toContain('Smoke test passed.');
    expect(out).not.toContain('smoke-key-123');
    expect(status).toBe(0);
    expect(seen.at(-1)?.['x-functions-key']).toBe('smoke-key-123');
    expect(world.graph.item(`drives/${DRIVE}/items/SMOKE1`).checkedOutBy).toBe('app');
  });

  it('says so when the app is not running, taking the target from SMOKE_TARGET', async () => {
    const closed = `http://127.0.0.1:${await findFreePort()}`;
    const { status, out } = await smoke(['--timeout', '1'], { url: closed, env: { SMOKE_TARGET: TARGET } });
    expect(out).toContain(`2/4 POST ${closed}/api/checkout`);
    expect(out).toContain('no answer');
    expect(status).toBe(1);
  });

  it('fails with the result code when the checkout fails', async () => {
    const { status, out } = await smoke(['--target', `/drives/${DRIVE}/items/MISSING`, '--sync', '--timeout', '20']);
    expect(out).toContain('404 Not Found');
    expect(out).toContain('Smoke test failed: failed (notFound)');
    expect(status).toBe(1);
  });
});
