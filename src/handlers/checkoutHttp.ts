import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { requestsQueueOutput, resultsQueueOutput } from '../app/bindings';
import { interpretBatch } from '../app/batchRequests';
import { readJsonBody } from '../app/httpBody';
import { describeError, problem, problemResponse, serviceUnavailableResponse } from '../app/problemDetails';
import { resultResponse } from '../app/resultResponse';
import { deliverCallback } from '../app/callbackDelivery';
import { getRuntime, interpretOptions } from '../app/runtime';
import { config } from '../app/settings';
import { locateProblems, openEnvelope, type EnvelopeItem } from '../app/webhookEnvelope';
import { subscriptionValidationResponse, webhookHandshakeResponse } from '../app/webhookHandshake';
import { interpretRequest } from '../checkout/interpret';
import { describeProblems } from '../checkout/problems';
import { handleSyncRequest } from '../checkout/deliver';
import { recordQueued } from '../checkout/ledger';
import { POLL_AFTER_SECONDS, statusUrl } from '../app/requestStatus';

/**
 * POST /api/checkout. By default the request is validated and queued (202): webhook senders
 * get a fast answer and the queue gives retries. `?mode=sync` runs it now and answers with
 * its result. Either way the result also goes to the results queue. Webhook envelopes
 * (CloudEvents, Event Grid) and batches are unwrapped first; OPTIONS is the CloudEvents
 * webhook handshake.
 */
export async function checkoutHttp(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  try {
    return await answer(request, context);
  } catch (error) {
    // Validation never throws; what does is the ledger's storage (or a bug): say so, not 500.
    context.error(`checkout request failed before an outcome: ${describeError(error)}`);
    return serviceUnavailableResponse();
  }
}

async function answer(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  if (request.method === 'OPTIONS') return webhookHandshakeResponse(request.headers);
  const receivedAt = new Date();
  const mode = request.query.get('mode') ?? 'async';
  if (mode !== 'async' && mode !== 'sync') {
    return problemResponse(problem(400, 'invalidRequest', 'Unknown mode', `mode must be "async" (the default) or "sync", not "${mode.slice(0, 40)}".`));
  }
  const body = await readJsonBody(request);
  if (!body.ok) return problemResponse(body.problem);

  const envelope = openEnvelope(body.value, request.headers.get('content-type'));
  switch (envelope.kind) {
    case 'invalid':
      return problemResponse(envelope.problem);
    case 'subscriptionValidation':
      context.log('answered an Event Grid subscription validation');
      return subscriptionValidationResponse(envelope.validationCode);
    case 'batch':
      return acceptBatch(envelope.items, mode, context);
  }

  const interpretation = interpretRequest(envelope.item.content.request, interpretOptions);
  if (!interpretation.ok) {
    const { rejected } = interpretation;
    const problems = locateProblems(rejected.problems, envelope.item.pointer);
    context.warn(`checkout request ${rejected.requestId} rejected (${rejected.code}): ${rejected.problems.length} problem(s)`);
    return problemResponse({
      ...problem(400, rejected.code, 'Invalid checkout request', describeProblems(problems), problems),
      requestId: rejected.requestId,
    });
  }

  const { accepted } = interpretation;
  if (mode === 'async') {
    const { deps } = await getRuntime();
    await recordQueued(deps.ledger, accepted.requestId, deps.now().getTime(), deps.ttlMs);
    context.extraOutputs.set(requestsQueueOutput, JSON.stringify(accepted.request));
    context.log(`checkout request ${accepted.requestId} accepted: ${accepted.action} ${accepted.route.variant}`);
    // Location and Retry-After: Logic Apps' HTTP action polls these until the result is in.
    return {
      status: 202,
      headers: {
        'content-type': 'application/json; charset=utf-8',
        location: statusUrl(request.url, accepted.requestId),
        'retry-after': String(POLL_AFTER_SECONDS),
      },
      jsonBody: { requestId: accepted.requestId, status: 'accepted' },
    };
  }

  const decision = await handleSyncRequest(interpretation, receivedAt, (await getRuntime()).deps);
  if (decision.kind === 'busy') {
    return problemResponse(
      {
        ...problem(409, 'inProgress', 'Request in progress', `Request ${decision.requestId} is being processed by another delivery; ask again later.`),
        requestId: decision.requestId,
      },
      { 'retry-after': String(Math.max(1, Math.ceil(decision.waitMs / 1000))) },
    );
  }
  if (decision.kind === 'duplicate') {
    // Answered before: the same answer again, and no second result message.
    context.log(`checkout request ${accepted.requestId} was already completed; answering with its result`);
    return resultResponse(decision.result);
  }
  const { result } = decision;
  context.extraOutputs.set(resultsQueueOutput, JSON.stringify(result));
  context.log(`checkout request ${accepted.requestId} ${result.status}${result.error ? ` (${result.error.code})` : ''}`);
  if (accepted.request.callbackUrl !== undefined) {
    const outcome = await deliverCallback(accepted.request.callbackUrl, result, config.callbackHosts);
    if (!outcome.delivered) context.warn(`checkout request ${accepted.requestId}: could not post the result to its callbackUrl: ${outcome.detail}`);
  }
  return resultResponse(result);
}

/** Batches are queued only: a synchronous answer for many Graph calls would outlast a caller's timeout. */
async function acceptBatch(items: readonly EnvelopeItem[], mode: 'async' | 'sync', context: InvocationContext): Promise<HttpResponseInit> {
  if (mode === 'sync') {
    return problemResponse(
      problem(400, 'invalidRequest', 'Batch in sync mode', 'mode=sync runs one request; send the batch without mode=sync to have it queued, or its requests one by one.'),
    );
  }
  const { messages, answer, response } = interpretBatch(items, interpretOptions);
  if (messages.length > 0) {
    const { deps } = await getRuntime();
    const now = deps.now().getTime();
    for (const item of answer.items) if (item.status === 'accepted') await recordQueued(deps.ledger, item.requestId, now, deps.ttlMs);
    context.extraOutputs.set(requestsQueueOutput, messages);
  }
  context.log(`checkout batch of ${items.length}: ${answer.accepted} accepted, ${answer.rejected} rejected`);
  return response;
}

