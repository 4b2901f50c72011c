import { HttpResponse, output, type InvocationContext } from '@azure/functions';
import { QueueServiceClient } from '@azure/storage-queue';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzurite, type AzuriteInstance } from './azurite';
import { createHostDouble, type HostDouble } from './hostDouble';

let azurite: AzuriteInstance;
let dir: string;
let queueSeq = 0;

/** Every test gets fresh queue names, so leftovers of one test never feed another. */
function q(label: string): string {
  queueSeq++;
  return `${label}-${queueSeq}`;
}

function hostJson(name: string, queues: Record<string, unknown>): string {
  const path = join(dir, `${name}.json`);
  writeFileSync(path, JSON.stringify({ version: '2.0', extensions: { queues } }));
  return path;
}

async function rawMessages(queueName: string): Promise<string[]> {
  const res = await QueueServiceClient.fromConnectionString(azurite.connectionString)
    .getQueueClient(queueName)
    .peekMessages({ numberOfMessages: 32 });
  return res.peekedMessageItems.map((m) => m.messageText);
}

beforeAll(async () => {
  azurite = await startAzurite();
  dir = mkdtempSync(join(tmpdir(), 'hostjson-'));
}, 20_000);

afterAll(async () => {
  await azurite.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('host double with base64 messages', () => {
  let host: HostDouble;
  beforeAll(() => {
    host = createHostDouble({
      connectionString: azurite.connectionString,
      hostJsonPath: hostJson('base64', {
        maxDequeueCount: 3,
        visibilityTimeout: '00:00:30',
        messageEncoding: 'base64',
        batchSize: 4,
      }),
    });
  });

  it('reads host.json', () => {
    expect(host.settings).toMatchObject({ maxDequeueCount: 3, visibilityTimeoutMs: 30_000, messageEncoding: 'base64', batchSize: 4 });
  });

  it('delivers a JSON message as a parsed object with real trigger metadata and writes the extra output', async () => {
    const inbox = q('requests');
    const outbox = q('results');
    const results = output.storageQueue({ queueName: outbox, connection: 'AzureWebJobsStorage' });
    const seen: Array<{ message: unknown; context: InvocationContext }> = [];
    host.queueFunction({
      name: 'echo',
      queueName: inbox,
      extraOutputs: [results],
      handler: async (message, context) => {
        seen.push({ message, context });
        context.log('echoing', { id: 1 });
        context.extraOutputs.set(results, { echo: message });
      },
    });
    await host.sendMessage(inbox, JSON.stringify({ id: 1, file: 'a.docx' }));
    expect(await rawMessages(inbox)).toEqual([Buffer.from('{"id":1,"file":"a.docx"}').toString('base64')]);

    const report = await host.deliverAll();
    expect(report).toMatchObject({ succeeded: 1, failed: 0, poisoned: 0 });
    expect(seen).toHaveLength(1);
    const [{ message, context }] = seen as [{ message: unknown; context: InvocationContext }];
    expect(message).toEqual({ id: 1, file: 'a.docx' });
    expect(context.functionName).toBe('echo');
    expect(context.invocationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(context.triggerMetadata).toMatchObject({ dequeueCount: 1, queueTrigger: '{"id":1,"file":"a.docx"}' });
    expect(typeof context.triggerMetadata?.id).toBe('string');
    expect(typeof context.triggerMetadata?.popReceipt).toBe('string');
    expect(context.triggerMetadata?.insertionTime).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(context.options.extraOutputs).toEqual([results]);

    expect(await rawMessages(outbox)).toEqual([Buffer.from('{"echo":{"id":1,"file":"a.docx"}}').toString('base64')]);
    expect(await host.peekAll(outbox)).toEqual(['{"echo":{"id":1,"file":"a.docx"}}']);
    expect(await host.receiveAll(outbox)).toEqual(['{"echo":{"id":1,"file":"a.docx"}}']);
    expect(await host.peekAll(outbox)).toEqual([]);
    expect(await host.peekAll(inbox)).toEqual([]);
    expect(host.logs).toContain('[echo] information: echoing { id: 1 }');
  });

  it('hands a non-JSON message over as a string and fans arrays out to one message each', async () => {
    const inbox = q('plain');
    const outbox = q('fanout');
    const out = output.storageQueue({ queueName: outbox, connection: 'AzureWebJobsStorage' });
    const inputs: unknown[] = [];
    host.queueFunction({
      name: 'fanout',
      queueName: inbox,
      extraOutputs: [out],
      handler: (message, context) => {
        inputs.push(message);
        context.extraOutputs.set(out, ['as-is', { n: 2 }, 3]);
      },
    });
    await host.sendMessage(inbox, 'hello world');
    await host.deliverAll();
    expect(inputs).toEqual(['hello world']);
    expect(await host.receiveAll(outbox)).toEqual(['as-is', '{"n":2}', '3']);
  });

  it('writes the return value to a `return` queue output', async () => {
    const inbox = q('ret-in');
    const outbox = q('ret-out');
    host.queueFunction({
      name: 'returns',
      queueName: inbox,
      return: output.storageQueue({ queueName: outbox, connection: 'AzureWebJobsStorage' }),
      handler: async (message) => `got ${String(message)}`,
    });
    await host.sendMessage(inbox, 'x');
    await host.deliverAll();
    expect(await host.receiveAll(outbox)).toEqual(['got x']);
  });

  it('retries a throwing handler and poisons the original message after maxDequeueCount', async () => {
    const inbox = q('doomed');
    const out = output.storageQueue({ queueName: q('never'), connection: 'AzureWebJobsStorage' });
    const dequeueCounts: unknown[] = [];
    host.queueFunction({
      name: 'doomed',
      queueName: inbox,
      extraOutputs: [out],
      handler: (_message, context) => {
        dequeueCounts.push(context.triggerMetadata?.dequeueCount);
        context.extraOutputs.set(out, 'must not be written');
        throw new Error('graph said no');
      },
    });
    await host.sendMessage(inbox, '{"id":7}');
    const raw = (await rawMessages(inbox))[0];

    const report = await host.deliverAll({ visibilityTimeoutOverrideMs: 0 });
    expect(dequeueCounts).toEqual([1, 2, 3]);
    expect(report).toMatchObject({ succeeded: 0, failed: 2, poisoned: 1 });
    expect(await rawMessages(`${inbox}-poison`)).toEqual([raw]);
    expect(await host.peekAll(inbox)).toEqual([]);
    expect(await host.peekAll(out.queueName)).toEqual([]);
    expect(host.hostLogs.filter((l) => l.includes("Executed 'Functions.doomed' (Failed") && l.includes('graph said no'))).toHaveLength(3);
    expect(host.hostLogs.some((l) => l.includes(`Moving message to queue '${inbox}-poison'`))).toBe(true);
  });

  it('fails a message that is not valid base64 without calling the handler, until it is poisoned', async () => {
    const inbox = q('garbled');
    let calls = 0;
    host.queueFunction({
      name: 'garbled',
      queueName: inbox,
      handler: () => {
        calls++;
      },
    });
    await host.sendMessage(inbox, '{"not":"base64"}', { base64: false });
    const report = await host.deliverAll({ visibilityTimeoutOverrideMs: 0 });
    expect(calls).toBe(0);
    expect(report).toMatchObject({ failed: 2, poisoned: 1 });
    expect(await rawMessages(`${inbox}-poison`)).toEqual(['{"not":"base64"}']);
  });

  it('makes a failed message visible again only after the override delay', async () => {
    const inbox = q('flaky');
    const attempts: number[] = [];
    host.queueFunction({
      name: 'flaky',
      queueName: inbox,
      handler: () => {
        attempts.push(Date.now());
        if (attempts.length === 1) throw new Error('transient');
      },
    });
    await host.sendMessage(inbox, 'once more');
    const report = await host.deliverAll({ visibilityTimeoutOverrideMs: 300 });
    expect(report).toMatchObject({ succeeded: 1, failed: 1, poisoned: 0 });
    expect(report.invocations.map((i) => i.dequeueCount)).toEqual([1, 2]);
    expect((attempts[1] ?? 0) - (attempts[0] ?? 0)).toBeGreaterThanOrEqual(290);
  });

  it("uses host.json's visibilityTimeout without an override, and says so when it times out", async () => {
    // A host of its own: the message stays invisible for 30 s and would stall later deliveries.
    const isolated = createHostDouble({ connectionString: azurite.connectionString, hostJsonPath: host.settings.source });
    const inbox = q('slow-retry');
    isolated.queueFunction({
      name: 'slowRetry',
      queueName: inbox,
      handler: () => {
        throw new Error('fails once, then waits 30 s');
      },
    });
    await isolated.sendMessage(inbox, 'x');
    await expect(isolated.deliverAll({ timeoutMs: 400 })).rejects.toThrow(/visibilityTimeoutOverrideMs/);
  });

  it('drains chains of functions in one call, and stops functions that feed each other forever', async () => {
    const isolated = createHostDouble({ connectionString: azurite.connectionString, hostJsonPath: host.settings.source });
    const [a, b, c] = [q('chain-a'), q('chain-b'), q('chain-c')];
    const toB = output.storageQueue({ queueName: b, connection: 'AzureWebJobsStorage' });
    const toC = output.storageQueue({ queueName: c, connection: 'AzureWebJobsStorage' });
    isolated.queueFunction({ name: 'first', queueName: a, extraOutputs: [toB], handler: (m, ctx) => ctx.extraOutputs.set(toB, { m, hop: 1 }) });
    isolated.queueFunction({ name: 'second', queueName: b, extraOutputs: [toC], handler: (m, ctx) => ctx.extraOutputs.set(toC, { m, hop: 2 }) });
    await isolated.sendMessage(a, 'start');
    expect(await isolated.deliverAll()).toMatchObject({ succeeded: 2 });
    expect(await isolated.receiveAll(c)).toEqual(['{"m":{"m":"start","hop":1},"hop":2}']);

    const loop = createHostDouble({ connectionString: azurite.connectionString, hostJsonPath: host.settings.source });
    const [ping, pong] = [q('ping'), q('pong')];
    const toPong = output.storageQueue({ queueName: pong, connection: 'AzureWebJobsStorage' });
    const toPing = output.storageQueue({ queueName: ping, connection: 'AzureWebJobsStorage' });
    loop.queueFunction({ name: 'ping', queueName: ping, extraOutputs: [toPong], handler: (_m, ctx) => ctx.extraOutputs.set(toPong, 'x') });
    loop.queueFunction({ name: 'pong', queueName: pong, extraOutputs: [toPing], handler: (_m, ctx) => ctx.extraOutputs.set(toPing, 'x') });
    await loop.sendMessage(ping, 'x');
    await expect(loop.deliverAll({ timeoutMs: 300 })).rejects.toThrow(/300 ms/);
  });

  it('gives up on a handler that never settles', async () => {
    const isolated = createHostDouble({ connectionString: azurite.connectionString, hostJsonPath: host.settings.source });
    const inbox = q('hang');
    isolated.queueFunction({ name: 'hang', queueName: inbox, handler: () => new Promise<never>(() => undefined) });
    await isolated.sendMessage(inbox, 'x');
    await expect(isolated.deliverAll({ timeoutMs: 300 })).rejects.toThrow(/hang was still processing a batch when 300 ms ran out/);
  });
});

describe('host double with messageEncoding none', () => {
  let host: HostDouble;
  beforeAll(() => {
    host = createHostDouble({
      connectionString: azurite.connectionString,
      hostJsonPath: hostJson('none', { messageEncoding: 'none' }),
    });
  });

  it('applies host defaults for the rest', () => {
    expect(host.settings).toMatchObject({ maxDequeueCount: 5, visibilityTimeoutMs: 0, messageEncoding: 'none', batchSize: 16 });
  });

  it('passes plain text through untouched in both directions', async () => {
    const inbox = q('plain-in');
    const outbox = q('plain-out');
    const out = output.storageQueue({ queueName: outbox, connection: 'AzureWebJobsStorage' });
    const inputs: unknown[] = [];
    host.queueFunction({
      name: 'plain',
      queueName: inbox,
      extraOutputs: [out],
      handler: (message, context) => {
        inputs.push(message);
        context.extraOutputs.set(out, { ok: true });
      },
    });
    await host.sendMessage(inbox, '{"x":1}');
    await host.sendMessage(inbox, 'aGVsbG8=');
    expect(await rawMessages(inbox)).toEqual(['{"x":1}', 'aGVsbG8=']);
    await host.deliverAll();
    expect(inputs).toEqual([{ x: 1 }, 'aGVsbG8=']);
    expect(await rawMessages(outbox)).toEqual(['{"ok":true}', '{"ok":true}']);
  });

  it('resolves %APP_SETTING% queue names from the environment', async () => {
    const inbox = q('setting-in');
    process.env.HOST_DOUBLE_TEST_QUEUE = inbox;
    try {
      const inputs: unknown[] = [];
      host.queueFunction({
        name: 'viaSetting',
        queueName: '%HOST_DOUBLE_TEST_QUEUE%',
        handler: (message) => {
          inputs.push(message);
        },
      });
      await host.sendMessage(inbox, '42');
      await host.deliverAll();
      expect(inputs).toEqual([42]);
    } finally {
      delete process.env.HOST_DOUBLE_TEST_QUEUE;
    }
  });
});

describe('host double defaults', () => {
  it("reads the repository's host.json when no path is given", () => {
    const host = createHostDouble({ connectionString: azurite.connectionString });
    expect(host.settings.source).toMatch(/[\\/]host\.json( \+ environment overrides)?$/);
    expect(['base64', 'none']).toContain(host.settings.messageEncoding);
  });
});

describe('host double HTTP invocations', () => {
  let host: HostDouble;
  const lines: string[] = [];
  beforeAll(() => {
    host = createHostDouble({
      connectionString: azurite.connectionString,
      hostJsonPath: hostJson('http', { messageEncoding: 'base64' }),
      logSink: (line) => lines.push(line),
    });
  });

  it('builds a real HttpRequest, returns the normalised response and writes extra outputs', async () => {
    const outbox = q('http-out');
    const out = output.storageQueue({ queueName: outbox, connection: 'AzureWebJobsStorage' });
    const res = await host.invokeHttp({
      name: 'checkoutHttp',
      extraOutputs: [out],
      request: {
        method: 'POST',
        url: '/api/checkout?mode=sync',
        headers: { 'content-type': 'application/json', 'x-correlation': 'c-1' },
        body: JSON.stringify({ item: 'drives/d/items/i' }),
        query: { extra: 'yes' },
        params: { action: 'checkout' },
      },
      handler: async (request, context) => {
        const body = (await request.json()) as { item: string };
        context.warn('processing', body.item);
        context.extraOutputs.set(out, { item: body.item, via: request.params.action });
        return {
          status: 202,
          jsonBody: {
            mode: request.query.get('mode'),
            extra: request.query.get('extra'),
            correlation: request.headers.get('x-correlation'),
            url: request.url,
          },
        };
      },
    });
    expect(res.status).toBe(202);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.json()).toEqual({
      mode: 'sync',
      extra: 'yes',
      correlation: 'c-1',
      url: 'http://localhost:7071/api/checkout?mode=sync&extra=yes',
    });
    expect(await host.receiveAll(outbox)).toEqual(['{"item":"drives/d/items/i","via":"checkout"}']);
    expect(host.logs).toContain('[checkoutHttp] warning: processing drives/d/items/i');
    expect(lines).toContain('[checkoutHttp] warning: processing drives/d/items/i');
  });

  it('accepts an HttpResponse instance and a bare result', async () => {
    const made = await host.invokeHttp({
      request: { method: 'GET' },
      handler: () => new HttpResponse({ status: 409, body: 'busy', headers: { 'Retry-After': '3' } }),
    });
    expect(made).toMatchObject({ status: 409, body: 'busy' });
    expect(made.headers['retry-after']).toBe('3');

    const empty = await host.invokeHttp({ request: {}, handler: async () => undefined as unknown as HttpResponse });
    expect(empty).toMatchObject({ status: 200, body: '' });
  });

  it('turns a throwing handler into a bare 500, logs the error and writes no outputs', async () => {
    const outbox = q('http-never');
    const out = output.storageQueue({ queueName: outbox, connection: 'AzureWebJobsStorage' });
    const res = await host.invokeHttp({
      name: 'boom',
      extraOutputs: [out],
      request: { method: 'POST', body: 'x' },
      handler: (_request, context) => {
        context.extraOutputs.set(out, 'nope');
        throw new Error('kaboom');
      },
    });
    expect(res).toMatchObject({ status: 500, body: '' });
    expect(host.hostLogs.some((l) => l.includes("Executed 'Functions.boom' (Failed") && l.includes('kaboom'))).toBe(true);
    expect(await host.peekAll(outbox)).toEqual([]);
  });
});
