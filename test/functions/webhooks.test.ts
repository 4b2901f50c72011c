import type { HttpHandler } from '@azure/functions';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startWorld, type World } from './world';

const DRIVE = 'b!d2ViaG9va3MtZHJpdmU';
const target = (item: string) => `/drives/${DRIVE}/items/${item}`;
const itemPath = (item: string) => `drives/${DRIVE}/items/${item}`;
const CLOUDEVENTS = { 'content-type': 'application/cloudevents+json; charset=utf-8' };

const cloudEvent = (id: string, data: unknown) => ({
  specversion: '1.0',
  id,
  source: '/subscriptions/x/resourceGroups/rg/providers/Microsoft.Logic/workflows/invoices',
  type: 'com.contoso.checkout.requested',
  time: '2026-11-26T10:15:02Z',
  datacontenttype: 'application/json',
  data,
});
const gridEvent = (id: string, data: unknown, eventType = 'Contoso.Checkout.Requested') => ({
  id,
  topic: '/subscriptions/x/resourceGroups/rg/providers/Microsoft.EventGrid/topics/checkout',
  subject: 'invoices',
  eventType,
  eventTime: '2026-11-26T10:15:02Z',
  dataVersion: '1.0',
  metadataVersion: '1',
  data,
});

let world: World;
let options: (headers: Record<string, string>) => ReturnType<World['post']>;

beforeAll(async () => {
  world = await startWorld();
  const { checkoutHttp } = await import('../../src/functions/checkoutHttp');
  options = (headers) =>
    world.host.invokeHttp({ name: 'checkoutHttp', handler: checkoutHttp as HttpHandler, request: { method: 'OPTIONS', url: 'http://localhost:7071/api/checkout', headers } });
});
afterAll(async () => world?.stop());
beforeEach(async () => {
  world.graph.reset();
  await world.results();
});

async function nothingQueued(): Promise<void> {
  expect(await world.host.peekAll(world.requestsQueue)).toEqual([]);
}

describe('CloudEvents 1.0 (structured JSON)', () => {
  it('runs the request in data, with the event id as its requestId', async () => {
    world.graph.addItem(itemPath('CE1'));
    const response = await world.post(cloudEvent('ce-0001', { target: target('CE1'), correlationId: 'run-1' }), { headers: CLOUDEVENTS });
    expect(response.status).toBe(202);
    expect(response.json()).toEqual({ requestId: 'ce-0001', status: 'accepted' });
    const results = await world.deliver();
    expect(results).toEqual([expect.objectContaining({ requestId: 'ce-0001', correlationId: 'run-1', status: 'succeeded', variant: 'driveItem' })]);
    expect(world.graph.item(itemPath('CE1')).checkedOutBy).toBe('app');
  });

  it('is recognised by specversion under application/json too, and runs in sync mode', async () => {
    world.graph.addItem(itemPath('CE2'));
    const response = await world.post(cloudEvent('ce-0002', { target: target('CE2') }), { query: { mode: 'sync' } });
    expect(response.status).toBe(200);
    expect(response.json()).toMatchObject({ requestId: 'ce-0002', status: 'succeeded', source: 'http' });
    expect(await world.results()).toHaveLength(1);
  });

  it('locates problems of the request inside data, and queues nothing', async () => {
    const response = await world.post(cloudEvent('ce-0003', { target: target('CE3'), acton: 'checkin' }), { headers: CLOUDEVENTS });
    expect(response.status).toBe(400);
    expect(response.json()).toMatchObject({ requestId: 'ce-0003', errors: [{ pointer: '/data/acton', detail: 'is not a known field ("acton")' }] });
    await nothingQueued();
  });

  it('refuses an event without data, naming it', async () => {
    const { data: _data, ...event } = cloudEvent('ce-0004', {});
    const response = await world.post(event, { headers: CLOUDEVENTS });
    expect(response.status).toBe(400);
    expect(response.json()).toMatchObject({ errors: [{ pointer: '/data' }] });
    await nothingQueued();
  });
});

describe('Event Grid schema', () => {
  it('answers the subscription validation handshake and queues nothing', async () => {
    const validation = gridEvent('v-1', { validationCode: '512d38b6-c7b8-40c8-89fe-f46f9e9622b6', validationUrl: 'https://rp-eastus2.eventgrid.azure.net:553/x' }, 'Microsoft.EventGrid.SubscriptionValidationEvent');
    const response = await world.post([validation], { headers: { 'aeg-event-type': 'SubscriptionValidation' } });
    expect(response.status).toBe(200);
    expect(response.json()).toEqual({ validationResponse: '512d38b6-c7b8-40c8-89fe-f46f9e9622b6' });
    await nothingQueued();
  });

  it('queues each event of an array, one result each', async () => {
    world.graph.addItem(itemPath('EG1'));
    world.graph.addItem(itemPath('EG2'), { checkedOutBy: 'app' });
    const response = await world.post([
      gridEvent('eg-1', { target: target('EG1') }),
      gridEvent('eg-2', { target: target('EG2'), action: 'checkin', comment: 'done' }),
    ]);
    expect(response.status).toBe(202);
    expect(response.json()).toEqual({
      accepted: 2,
      rejected: 0,
      items: [
        { index: 0, requestId: 'eg-1', status: 'accepted' },
        { index: 1, requestId: 'eg-2', status: 'accepted' },
      ],
    });
    const results = await world.deliver();
    expect(results.map((r) => [r['requestId'], r['action'], r['status']]).sort()).toEqual([
      ['eg-1', 'checkout', 'succeeded'],
      ['eg-2', 'checkin', 'succeeded'],
    ]);
  });
});

describe('batches (JSON arrays of requests or events)', () => {
  it('accepts per item: 202 with each outcome, only the valid ones queued', async () => {
    world.graph.addItem(itemPath('B1'));
    world.graph.addItem(itemPath('B2'));
    const response = await world.post(
      [
        cloudEvent('ce-b1', { target: target('B1') }),
        cloudEvent('ce-b2', { target: target('B2'), comment: 'only for checkin' }),
        cloudEvent('ce-b3', { target: target('B2'), action: 'checkout' }),
      ],
      { headers: { 'content-type': 'application/cloudevents-batch+json' } },
    );
    expect(response.status).toBe(202);
    expect(response.json()).toEqual({
      accepted: 2,
      rejected: 1,
      items: [
        { index: 0, requestId: 'ce-b1', status: 'accepted' },
        { index: 1, requestId: 'ce-b2', status: 'rejected', code: 'invalidRequest', problems: [{ pointer: '/1/data/comment', detail: 'applies only to checkin, not checkout' }] },
        { index: 2, requestId: 'ce-b3', status: 'accepted' },
      ],
    });
    const results = await world.deliver();
    expect(results.map((r) => [r['requestId'], r['status']]).sort()).toEqual([
      ['ce-b1', 'succeeded'],
      ['ce-b3', 'succeeded'],
    ]);
  });

  it('answers 400 when no item is valid, and queues nothing', async () => {
    const response = await world.post([{ target: 'nowhere' }, { shareUrl: 'http://not-https' }]);
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ accepted: 0, rejected: 2, items: [{ index: 0, status: 'rejected' }, { index: 1, status: 'rejected' }] });
    await nothingQueued();
  });

  it('refuses a batch in sync mode, and one over the size limit', async () => {
    const sync = await world.post([{ target: target('X') }], { query: { mode: 'sync' } });
    expect(sync.status).toBe(400);
    expect(sync.json()).toMatchObject({ title: 'Batch in sync mode' });
    const big = await world.post(Array.from({ length: 101 }, () => ({ target: target('X') })));
    expect(big.status).toBe(413);
    await nothingQueued();
  });
});

describe('CloudEvents webhook handshake (OPTIONS)', () => {
  it('grants the origin that asks, without reading a body or queueing anything', async () => {
    const response = await options({ 'WebHook-Request-Origin': 'eventgrid.azure.net' });
    expect(response.status).toBe(200);
    expect(response.headers).toMatchObject({ 'webhook-allowed-origin': 'eventgrid.azure.net', 'webhook-allowed-rate': '*', allow: 'OPTIONS, POST' });
    await nothingQueued();
  });
});
