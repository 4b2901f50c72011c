import { describe, expect, it } from 'vitest';
import { useWorld } from './world';

const DRIVE = 'b!b25jZS1kcml2ZQ';
const target = (item: string) => `/drives/${DRIVE}/items/${item}`;
const itemPath = (item: string) => `drives/${DRIVE}/items/${item}`;

// No in-call retry budget: every throttle goes back to the queue.
const world = useWorld({ GRAPH_RETRY_BUDGET_MS: '0' });

describe('one Graph call and one result per requestId', () => {
  it('the same request delivered twice, one after the other', async () => {
    world.graph.addItem(itemPath('SEQ'));
    const message = JSON.stringify({ requestId: 'dup-seq', target: target('SEQ') });
    await world.host.sendMessage(world.requestsQueue, message);
    const first = await world.deliver();
    await world.host.sendMessage(world.requestsQueue, message, { base64: true });
    const second = await world.deliver();
    expect(first).toHaveLength(1);
    expect(second).toEqual([]);
    expect(world.graph.calls).toHaveLength(1);
    expect(world.host.logs.join('\n')).toContain('dup-seq skipped');
  });

  it('the same request delivered twice at once, while Graph is slow', async () => {
    world.graph.addItem(itemPath('PAR'));
    world.graph.inject({ status: 204, delayMs: 400, times: 1 });
    const message = JSON.stringify({ requestId: 'dup-par', target: target('PAR') });
    await world.host.sendMessage(world.requestsQueue, message);
    await world.host.sendMessage(world.requestsQueue, message);
    const results = await world.deliver({ timeoutMs: 20_000 });
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ requestId: 'dup-par', status: 'succeeded' });
    expect(world.graph.calls.filter((c) => c.itemPath === itemPath('PAR'))).toHaveLength(1);
  });

  it('a synchronous request sent again gets the same answer, without a second Graph call or result', async () => {
    world.graph.addItem(itemPath('SYNC'));
    const first = await world.post({ requestId: 'dup-sync', target: target('SYNC') }, { query: { mode: 'sync' } });
    const again = await world.post({ requestId: 'dup-sync', target: target('SYNC') }, { query: { mode: 'sync' } });
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.json()).toEqual(first.json());
    expect(world.graph.calls).toHaveLength(1);
    expect(await world.results()).toHaveLength(1);
  });

  it('an async request posted twice runs once', async () => {
    world.graph.addItem(itemPath('ASYNC'));
    expect((await world.post({ requestId: 'dup-async', target: target('ASYNC') })).status).toBe(202);
    expect((await world.post({ requestId: 'dup-async', target: target('ASYNC') })).status).toBe(202);
    const results = await world.deliver();
    expect(results).toHaveLength(1);
    expect(world.graph.calls).toHaveLength(1);
  });
});

describe('a long Retry-After', () => {
  it('re-queues the request instead of sleeping, and Graph hears from it again only after Retry-After', async () => {
    world.graph.addItem(itemPath('THROTTLED'));
    world.graph.inject({ status: 429, retryAfter: 2 });
    await world.host.sendMessage(world.requestsQueue, JSON.stringify({ requestId: 'slow-1', target: target('THROTTLED') }));
    const started = Date.now();
    const results = await world.deliver({ timeoutMs: 20_000 });
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ requestId: 'slow-1', status: 'succeeded', attempts: 2 });
    const [throttled, retried] = world.graph.calls;
    expect(retried!.at - throttled!.at).toBeGreaterThanOrEqual(2000);
    expect(world.graph.earlyRetries).toBe(0);
    // The invocation itself did not wait: the first delivery finished at once.
    expect(world.host.logs.join('\n')).toMatch(/slow-1 re-queued for 2 s: throttled/);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('throttled on every delivery → one failed throttled result after the last, with all attempts counted', async () => {
    world.graph.addItem(itemPath('ALWAYS'));
    world.graph.inject({ status: 429, retryAfter: 1, times: 100 });
    await world.host.sendMessage(world.requestsQueue, JSON.stringify({ requestId: 'slow-2', target: target('ALWAYS') }));
    const results = await world.deliver({ timeoutMs: 30_000 });
    const max = world.host.settings.maxDequeueCount;
    expect(results).toEqual([expect.objectContaining({ requestId: 'slow-2', status: 'failed', attempts: max, error: expect.objectContaining({ code: 'throttled' }) })]);
    expect(world.graph.calls).toHaveLength(max);
    expect(world.graph.earlyRetries).toBe(0);
    expect(await world.host.peekAll(`${world.requestsQueue}-poison`)).toEqual([]);
  });
});
