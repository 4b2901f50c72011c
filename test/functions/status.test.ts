import { describe, expect, it } from 'vitest';
import { useWorld } from './world';

const DRIVE = 'b!c3RhdHVz';
const target = (item: string) => `/drives/${DRIVE}/items/${item}`;

const world = useWorld({ GRAPH_RETRY_BUDGET_MS: '0' });

describe("Logic Apps' asynchronous polling pattern", () => {
  it('202 with an absolute Location and Retry-After; the Location answers 202 until the result, then 200 with it', async () => {
    world.graph.addItem(`drives/${DRIVE}/items/POLL`);
    const accepted = await world.post({ requestId: 'poll-1', target: target('POLL') });
    expect(accepted.status).toBe(202);
    expect(accepted.headers['location']).toBe('http://localhost:7071/api/checkout/poll-1');
    expect(Number(accepted.headers['retry-after'])).toBeGreaterThan(0);

    const pending = await world.status('poll-1');
    expect(pending.status).toBe(202);
    expect(pending.headers['location']).toBe('http://localhost:7071/api/checkout/poll-1');
    expect(pending.json()).toMatchObject({ requestId: 'poll-1', status: 'queued' });

    await world.deliver();
    const done = await world.status('poll-1');
    expect(done.status).toBe(200);
    expect(done.json()).toMatchObject({ requestId: 'poll-1', status: 'succeeded', variant: 'driveItem' });
  });

  it('a failed outcome answers with a non-2xx status, so the workflow step fails visibly', async () => {
    await world.post({ requestId: 'poll-2', target: target('MISSING') });
    await world.deliver();
    const done = await world.status('poll-2');
    expect(done.status).toBe(404);
    expect(done.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(done.json()).toMatchObject({ code: 'notFound', result: { requestId: 'poll-2', status: 'failed' } });
  });

  it('a request waiting out a Retry-After says so, and when to ask again', async () => {
    world.graph.addItem(`drives/${DRIVE}/items/WAIT`);
    world.graph.inject({ status: 429, retryAfter: 30 });
    await world.post({ requestId: 'poll-3', target: target('WAIT') });
    await world.host.deliverAll({ timeoutMs: 2000 }).catch(() => undefined); // leaves the re-queued copy hidden
    const waiting = await world.status('poll-3');
    expect(waiting.status).toBe(202);
    expect(waiting.json()).toMatchObject({ status: 'waiting', attempts: 1 });
    expect(Number(waiting.headers['retry-after'])).toBeGreaterThanOrEqual(28);
  });

  it('an unknown requestId is 404, a malformed one 400', async () => {
    expect((await world.status('never-sent')).status).toBe(404);
    expect((await world.status('bad id!')).status).toBe(400);
  });
});
