import { describe, expect, it } from 'vitest';
import { useWorld } from './world';

const DRIVE = 'b!cXVldWUtZHJpdmU';
const ITEM = '01QUEUEITEM';
const item = `drives/${DRIVE}/items/${ITEM}`;
const request = { target: `/drives/${DRIVE}/items/${ITEM}` };

const world = useWorld({ GRAPH_RETRY_BUDGET_MS: '0' });

describe('queue messages', () => {
  it.each([
    ['text that is not JSON', 'check out the budget file please'],
    ['base64 that decodes to garbage', Buffer.from([0xff, 0xfe, 0x00, 0x13, 0x80]).toString('base64')],
    ['base64 of malformed JSON', Buffer.from('{"target": ').toString('base64')],
    ['a JSON array', '[{"target":"/drives/x/items/y"}]'],
    ['JSON with an unknown field', JSON.stringify({ ...request, requestId: 'typo-1', acton: 'checkin' })],
    ['a request for an unknown route', JSON.stringify({ target: '/sites/root/lists', requestId: 'route-1' })],
  ])('%s → one rejected result, nothing poisoned, no Graph call', async (_name, text) => {
    await world.host.sendMessage(world.requestsQueue, text);
    const results = await world.deliver();
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ status: 'rejected', source: 'queue', attempts: 0, error: { retryable: false } });
    expect((results[0]!['error'] as { code: string }).code).toMatch(/^(invalidRequest|unknownRoute)$/);
    expect(await world.host.peekAll(`${world.requestsQueue}-poison`)).toEqual([]);
    expect(world.graph.calls).toHaveLength(0);
  });

  it('echoes requestId, correlationId and context of a rejected request', async () => {
    await world.host.sendMessage(world.requestsQueue, JSON.stringify({ requestId: 'r-9', correlationId: 'c-9', context: { run: 9 }, target: '/nope' }));
    const [result] = await world.deliver();
    expect(result).toMatchObject({ requestId: 'r-9', correlationId: 'c-9', context: { run: 9 }, status: 'rejected' });
  });

  it('a transient failure is redelivered, and succeeds without a second result', async () => {
    world.graph.addItem(item);
    world.graph.inject({ status: 503, times: 2 });
    await world.host.sendMessage(world.requestsQueue, JSON.stringify({ ...request, requestId: 'transient-1' }));
    const results = await world.deliver();
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ requestId: 'transient-1', status: 'succeeded' });
    expect(world.graph.calls.map((c) => c.status)).toEqual([503, 503, 204]);
  });

  it('a failure that outlasts every delivery ends in one failed result on the last one, not in poison', async () => {
    world.graph.addItem(item);
    world.graph.inject({ status: 503, times: 100 });
    await world.host.sendMessage(world.requestsQueue, JSON.stringify({ ...request, requestId: 'doomed-1' }));
    const results = await world.deliver();
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ requestId: 'doomed-1', status: 'failed', error: { code: 'graphUnavailable', retryable: true } });
    expect(world.graph.calls).toHaveLength(world.host.settings.maxDequeueCount);
    expect(await world.host.peekAll(`${world.requestsQueue}-poison`)).toEqual([]);
  });

  it('a permanent failure is reported at once, without redelivery', async () => {
    await world.host.sendMessage(world.requestsQueue, JSON.stringify({ target: `/drives/${DRIVE}/items/GONE` }));
    const results = await world.deliver();
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ status: 'failed', error: { code: 'notFound' } });
    expect(world.graph.calls).toHaveLength(1);
  });
});
