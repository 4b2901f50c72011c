import { describeProblems, type Problem } from '../checkout/problems';
import { REQUEST_ID_PATTERN } from '../checkout/request';
import { problem, type ProblemDocument } from './problemDetails';

/*
 * What a webhook sender wraps a checkout request in: nothing (the request itself), a
 * CloudEvents 1.0 structured event (`data`), an Event Grid event (`data`), or an array of any
 * of these. This module only finds the requests; `interpretRequest` judges each one.
 */

/** One call's work stays bounded: its answer lists every item, and each item is one queue write. */
export const MAX_BATCH_ITEMS = 100;

export const SUBSCRIPTION_VALIDATION_EVENT = 'Microsoft.EventGrid.SubscriptionValidationEvent';

export type EnvelopeFormat = 'json' | 'cloudEvent' | 'eventGrid';

export interface EnvelopeItem {
  format: EnvelopeFormat;
  /** JSON Pointer of the request inside the body, so problems point at the field as sent. */
  pointer: string;
  /** The checkout request to interpret, or what kept one from being found in the envelope. */
  content: { ok: true; request: unknown } | { ok: false; problems: Problem[] };
}

export type Envelope =
  | { kind: 'single'; item: EnvelopeItem & { content: { ok: true; request: unknown } } }
  | { kind: 'batch'; items: EnvelopeItem[] }
  | { kind: 'subscriptionValidation'; validationCode: string }
  | { kind: 'invalid'; problem: ProblemDocument };

const CLOUDEVENTS_BATCH = /^application\/cloudevents-batch\+json\s*(;|$)/i;
const CLOUDEVENTS_STRUCTURED = /^application\/cloudevents\+json\s*(;|$)/i;
const JSON_CONTENT_TYPE = /^(application\/([\w.+-]*\+)?json|text\/json)\s*(;|$)/i;
// Event Grid's codes are GUIDs; anything else is echoed nowhere.
const VALIDATION_CODE = /^[A-Za-z0-9-]{1,128}$/;

export function openEnvelope(body: unknown, contentType: string | null): Envelope {
  const type = contentType?.trim() ?? '';
  if (CLOUDEVENTS_BATCH.test(type)) {
    if (!Array.isArray(body)) return invalid('application/cloudevents-batch+json must be a JSON array of CloudEvents.');
    return openArray(body, (event, pointer) => cloudEventItem(event, pointer));
  }
  if (Array.isArray(body)) {
    const validation = body.length === 1 ? subscriptionValidation(body[0], '/0') : undefined;
    if (validation) return validation;
    return openArray(body, itemOf);
  }
  const validation = subscriptionValidation(body, '');
  if (validation) return validation;
  const item = CLOUDEVENTS_STRUCTURED.test(type) ? cloudEventItem(body, '') : itemOf(body, '');
  if (!item.content.ok) {
    return {
      kind: 'invalid',
      problem: problem(400, 'invalidRequest', 'Invalid event', describeProblems(item.content.problems), item.content.problems),
    };
  }
  return { kind: 'single', item: { ...item, content: item.content } };
}

function openArray(body: readonly unknown[], open: (value: unknown, pointer: string) => EnvelopeItem): Envelope {
  if (body.length === 0) return invalid('The batch is empty; send at least one request.');
  if (body.length > MAX_BATCH_ITEMS) {
    return { kind: 'invalid', problem: problem(413, 'payloadTooLarge', 'Batch too large', `A batch holds at most ${MAX_BATCH_ITEMS} requests, not ${body.length}.`) };
  }
  return {
    kind: 'batch',
    items: body.map((value, index) => {
      const pointer = `/${index}`;
      // A validation handshake is answered only when it comes alone, as Event Grid sends it.
      if (isEventGridEvent(value) && value['eventType'] === SUBSCRIPTION_VALIDATION_EVENT) {
        return failed('eventGrid', pointer, [{ pointer: `${pointer}/eventType`, detail: 'a subscription validation event must be sent alone' }]);
      }
      return open(value, pointer);
    }),
  };
}

/** Field names no checkout request has, so they tell an envelope from a request unambiguously. */
function itemOf(value: unknown, pointer: string): EnvelopeItem {
  if (isRecord(value) && 'specversion' in value) return cloudEventItem(value, pointer);
  if (isEventGridEvent(value)) return eventGridItem(value, pointer);
  return { format: 'json', pointer, content: { ok: true, request: value } };
}

function cloudEventItem(event: unknown, pointer: string): EnvelopeItem {
  if (!isRecord(event)) return failed('cloudEvent', pointer, [{ pointer, detail: 'must be a CloudEvent (a JSON object)' }]);
  const problems: Problem[] = [];
  if (event['specversion'] !== '1.0') problems.push({ pointer: `${pointer}/specversion`, detail: 'must be "1.0" (CloudEvents 1.0)' });
  for (const name of ['id', 'source', 'type'] as const) {
    const value = event[name];
    if (typeof value !== 'string' || value === '') problems.push({ pointer: `${pointer}/${name}`, detail: 'is required by CloudEvents 1.0 (a non-empty string)' });
  }
  const dataContentType = event['datacontenttype'];
  if (dataContentType !== undefined && (typeof dataContentType !== 'string' || !JSON_CONTENT_TYPE.test(dataContentType))) {
    problems.push({ pointer: `${pointer}/datacontenttype`, detail: 'must be a JSON media type such as application/json' });
  }
  if ('data_base64' in event) {
    problems.push({ pointer: `${pointer}/data_base64`, detail: 'is not supported: send the checkout request as JSON in "data"' });
  } else if (!('data' in event)) {
    problems.push({ pointer: `${pointer}/data`, detail: 'is required: the checkout request' });
  }
  if (problems.length > 0) return failed('cloudEvent', pointer, problems);
  return { format: 'cloudEvent', pointer: `${pointer}/data`, content: { ok: true, request: withEventId(event['data'], event['id']) } };
}

function eventGridItem(event: Record<string, unknown>, pointer: string): EnvelopeItem {
  if (typeof event['eventType'] !== 'string' || event['eventType'] === '') {
    return failed('eventGrid', pointer, [{ pointer: `${pointer}/eventType`, detail: 'must be a non-empty string' }]);
  }
  if (!('data' in event)) return failed('eventGrid', pointer, [{ pointer: `${pointer}/data`, detail: 'is required: the checkout request' }]);
  return { format: 'eventGrid', pointer: `${pointer}/data`, content: { ok: true, request: withEventId(event['data'], event['id']) } };
}

/**
 * A sender redelivers an event with the same id; using it as the requestId (when the request
 * names none) lets the idempotency store recognise the redelivery instead of running it twice.
 */
function withEventId(data: unknown, id: unknown): unknown {
  if (!isRecord(data) || 'requestId' in data || typeof id !== 'string' || !REQUEST_ID_PATTERN.test(id)) return data;
  return { requestId: id, ...data };
}

function subscriptionValidation(value: unknown, pointer: string): Envelope | undefined {
  if (!isEventGridEvent(value) || value['eventType'] !== SUBSCRIPTION_VALIDATION_EVENT) return undefined;
  const data = value['data'];
  const code = isRecord(data) ? data['validationCode'] : undefined;
  if (typeof code !== 'string' || !VALIDATION_CODE.test(code)) {
    return invalid('The subscription validation event has no usable data.validationCode.', [
      { pointer: `${pointer}/data/validationCode`, detail: 'must be the validation code Event Grid sent' },
    ]);
  }
  return { kind: 'subscriptionValidation', validationCode: code };
}

function isEventGridEvent(value: unknown): value is Record<string, unknown> {
  return isRecord(value) && 'eventType' in value && !('specversion' in value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function failed(format: EnvelopeFormat, pointer: string, problems: Problem[]): EnvelopeItem {
  return { format, pointer, content: { ok: false, problems } };
}

function invalid(detail: string, errors?: Problem[]): Envelope {
  return { kind: 'invalid', problem: problem(400, 'invalidRequest', 'Invalid request body', detail, errors) };
}

/** Problems found inside a request, re-rooted at where that request sits in the body. */
export function locateProblems(problems: readonly Problem[], pointer: string): Problem[] {
  return pointer === '' ? [...problems] : problems.map((p) => ({ ...p, pointer: pointer + p.pointer }));
}
