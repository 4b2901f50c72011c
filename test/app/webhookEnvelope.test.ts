import { describe, expect, it } from 'vitest';
import { interpretBatch } from '../../src/app/batchRequests';
import { MAX_BATCH_ITEMS, openEnvelope, SUBSCRIPTION_VALIDATION_EVENT, type Envelope } from '../../src/app/webhookEnvelope';
import { subscriptionValidationResponse, webhookHandshakeResponse } from '../../src/app/webhookHandshake';

const REQUEST = { target: '/drives/b!abc/items/01ABC' };
const cloudEvent = (data: unknown, extra: Record<string, unknown> = {}) => ({
  specversion: '1.0',
  id: 'evt-1',
  source: '/workflows/invoices',
  type: 'com.contoso.checkout.requested',
  datacontenttype: 'application/json',
  data,
  ...extra,
});
const gridEvent = (data: unknown, extra: Record<string, unknown> = {}) => ({
  id: '2d1781af-3a4c-4d7c-bd0c-e34b19da4e66',
  topic: '/subscriptions/x/resourceGroups/rg/providers/Microsoft.EventGrid/topics/checkout',
  subject: 'invoices/2291',
  eventType: 'Contoso.Checkout.Requested',
  eventTime: '2026-11-26T10:15:02.114Z',
  dataVersion: '1.0',
  data,
  ...extra,
});

function single(envelope: Envelope) {
  if (envelope.kind !== 'single') throw new Error(`expected single, got ${envelope.kind}`);
  return envelope.item;
}
function batch(envelope: Envelope) {
  if (envelope.kind !== 'batch') throw new Error(`expected batch, got ${envelope.kind}`);
  return envelope.items;
}
function invalid(envelope: Envelope) {
  if (envelope.kind !== 'invalid') throw new Error(`expected invalid, got ${envelope.kind}`);
  return envelope.problem;
}

describe('webhook envelopes', () => {
  it('passes a plain request through untouched', () => {
    expect(single(openEnvelope(REQUEST, 'application/json'))).toEqual({ format: 'json', pointer: '', content: { ok: true, request: REQUEST } });
    // Not an object at all: left for interpretRequest to reject with its own words.
    expect(single(openEnvelope('text', null)).content).toEqual({ ok: true, request: 'text' });
  });

  it('unwraps a structured CloudEvent, by content type or by specversion, and takes its id as the requestId', () => {
    for (const type of ['application/cloudevents+json; charset=utf-8', 'application/json']) {
      const item = single(openEnvelope(cloudEvent(REQUEST), type));
      expect(item).toEqual({ format: 'cloudEvent', pointer: '/data', content: { ok: true, request: { requestId: 'evt-1', ...REQUEST } } });
    }
  });

  it("keeps the request's own requestId, and ignores an event id that is no valid requestId", () => {
    expect(single(openEnvelope(cloudEvent({ ...REQUEST, requestId: 'mine' }), null)).content).toEqual({ ok: true, request: { ...REQUEST, requestId: 'mine' } });
    expect(single(openEnvelope(cloudEvent(REQUEST, { id: 'has spaces/and slashes' }), null)).content).toEqual({ ok: true, request: REQUEST });
  });

  it('refuses a CloudEvent that breaks CloudEvents 1.0, naming each attribute', () => {
    const problem = invalid(openEnvelope({ specversion: '0.3', source: '', type: 'x', data_base64: 'e30=' }, 'application/cloudevents+json'));
    expect(problem.status).toBe(400);
    expect(problem.errors!.map((e) => e.pointer).sort()).toEqual(['/data_base64', '/id', '/source', '/specversion']);
    expect(invalid(openEnvelope(cloudEvent(REQUEST, { datacontenttype: 'application/xml' }), null)).errors).toEqual([
      { pointer: '/datacontenttype', detail: 'must be a JSON media type such as application/json' },
    ]);
    const { data: _data, ...noData } = cloudEvent(REQUEST);
    expect(invalid(openEnvelope(noData, null)).errors).toEqual([{ pointer: '/data', detail: 'is required: the checkout request' }]);
  });

  it('unwraps Event Grid events, one per batch item, with pointers into the body', () => {
    const items = batch(openEnvelope([gridEvent(REQUEST), gridEvent({ ...REQUEST, requestId: 'r2' }, { id: 'second' })], 'application/json'));
    expect(items).toEqual([
      { format: 'eventGrid', pointer: '/0/data', content: { ok: true, request: { requestId: '2d1781af-3a4c-4d7c-bd0c-e34b19da4e66', ...REQUEST } } },
      { format: 'eventGrid', pointer: '/1/data', content: { ok: true, request: { ...REQUEST, requestId: 'r2' } } },
    ]);
  });

  it("answers Event Grid's subscription validation handshake", () => {
    const validation = gridEvent({ validationCode: '512d38b6-c7b8-40c8-89fe-f46f9e9622b6', validationUrl: 'https://rp-eastus2.eventgrid.azure.net/x' }, { eventType: SUBSCRIPTION_VALIDATION_EVENT });
    expect(openEnvelope([validation], 'application/json')).toEqual({ kind: 'subscriptionValidation', validationCode: '512d38b6-c7b8-40c8-89fe-f46f9e9622b6' });
    expect(JSON.parse(String(subscriptionValidationResponse('abc').body))).toEqual({ validationResponse: 'abc' });
    // A code that could carry anything else is never echoed.
    expect(invalid(openEnvelope([{ ...validation, data: { validationCode: '<script>' } }], null)).errors![0]!.pointer).toBe('/0/data/validationCode');
    // Mixed into a batch it is not a handshake but a rejected item.
    const items = batch(openEnvelope([gridEvent(REQUEST), validation], null));
    expect(items[1]!.content).toEqual({ ok: false, problems: [{ pointer: '/1/eventType', detail: 'a subscription validation event must be sent alone' }] });
  });

  it('reads a CloudEvents batch, and refuses a batch content type without an array', () => {
    const items = batch(openEnvelope([cloudEvent(REQUEST), cloudEvent(REQUEST, { id: 'evt-2' }), REQUEST], 'application/cloudevents-batch+json'));
    expect(items.map((i) => [i.format, i.pointer, i.content.ok])).toEqual([
      ['cloudEvent', '/0/data', true],
      ['cloudEvent', '/1/data', true],
      // Under the batch content type every item must be a CloudEvent.
      ['cloudEvent', '/2', false],
    ]);
    expect(invalid(openEnvelope(cloudEvent(REQUEST), 'application/cloudevents-batch+json')).status).toBe(400);
  });

  it('bounds a batch: empty is refused, more than the limit is too large', () => {
    expect(invalid(openEnvelope([], null)).status).toBe(400);
    expect(batch(openEnvelope(Array.from({ length: MAX_BATCH_ITEMS }, () => REQUEST), null))).toHaveLength(MAX_BATCH_ITEMS);
    expect(invalid(openEnvelope(Array.from({ length: MAX_BATCH_ITEMS + 1 }, () => REQUEST), null))).toMatchObject({ status: 413, code: 'payloadTooLarge' });
  });
});

describe('batch answers', () => {
  let n = 0;
  const options = { graphOrigin: 'https://graph.microsoft.com', newRequestId: () => `gen-${++n}` };

  it('judges each item alone: accepted items are queued, rejected ones located in the body', () => {
    const items = batch(openEnvelope([REQUEST, { ...REQUEST, acton: 'x' }, cloudEvent({ target: 'nowhere' }), { ...REQUEST, requestId: 'same' }, { ...REQUEST, requestId: 'same' }], null));
    const { messages, answer, response } = interpretBatch(items, options);
    expect(response.status).toBe(202);
    expect(answer).toMatchObject({ accepted: 2, rejected: 3 });
    expect(answer.items.map((i) => [i.index, i.status])).toEqual([
      [0, 'accepted'],
      [1, 'rejected'],
      [2, 'rejected'],
      [3, 'accepted'],
      [4, 'rejected'],
    ]);
    expect(answer.items[1]).toMatchObject({ code: 'invalidRequest', problems: [{ pointer: '/1/acton' }] });
    expect(answer.items[2]).toMatchObject({ requestId: 'evt-1', problems: [{ pointer: '/2/data/target' }] });
    expect(answer.items[4]).toMatchObject({ requestId: 'same', problems: [{ pointer: '/4/requestId', detail: expect.stringContaining('item 3') }] });
    expect(messages.map((m) => JSON.parse(m) as unknown)).toEqual([
      { ...REQUEST, requestId: answer.items[0]!.requestId },
      { ...REQUEST, requestId: 'same' },
    ]);
  });

  it('answers 400 with every item when none was accepted, and queues nothing', () => {
    const { messages, response } = interpretBatch(batch(openEnvelope([{}, { target: 42 }], null)), options);
    expect(messages).toEqual([]);
    expect(response.status).toBe(400);
    expect(response.headers).toMatchObject({ 'content-type': expect.stringMatching(/^application\/problem\+json/) });
    const body = JSON.parse(String(response.body)) as Record<string, unknown>;
    expect(body).toMatchObject({ code: 'invalidRequest', accepted: 0, rejected: 2 });
    expect(body['items']).toHaveLength(2);
  });
});

describe('CloudEvents webhook handshake (OPTIONS)', () => {
  const headers = (values: Record<string, string>) => new Headers(values);

  it('allows the origin that asks, at any rate', () => {
    expect(webhookHandshakeResponse(headers({ 'WebHook-Request-Origin': 'eventgrid.azure.net', 'WebHook-Request-Rate': '120' }))).toEqual({
      status: 200,
      headers: { allow: 'OPTIONS, POST', 'webhook-allowed-origin': 'eventgrid.azure.net', 'webhook-allowed-rate': '*' },
    });
  });

  it('answers a bare OPTIONS with Allow, and refuses an origin that is no host name', () => {
    expect(webhookHandshakeResponse(headers({}))).toEqual({ status: 204, headers: { allow: 'OPTIONS, POST' } });
    expect(webhookHandshakeResponse(headers({ 'WebHook-Request-Origin': 'evil.example, other' })).status).toBe(400);
  });
});
