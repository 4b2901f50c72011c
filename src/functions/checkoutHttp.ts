import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { requestsQueueOutput, resultsQueueOutput } from '../app/bindings';
import { readJsonBody } from '../app/httpBody';
import { problem, problemResponse } from '../app/problemDetails';
import { resultResponse } from '../app/resultResponse';
import { interpretOptions, runDependencies } from '../app/runtime';
import { interpretRequest } from '../checkout/interpret';
import { runCheckout } from '../checkout/run';

/**
 * POST /api/checkout. By default the request is validated and queued (202): webhook senders
 * get a fast answer and the queue gives retries. `?mode=sync` runs it now and answers with
 * its result. Either way the result also goes to the results queue.
 */
export async function checkoutHttp(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const receivedAt = new Date();
  const mode = request.query.get('mode') ?? 'async';
  if (mode !== 'async' && mode !== 'sync') {
    return problemResponse(problem(400, 'invalidRequest', 'Unknown mode', `mode must be "async" (the default) or "sync", not "${mode.slice(0, 40)}".`));
  }
  const body = await readJsonBody(request);
  if (!body.ok) return problemResponse(body.problem);

  const interpretation = interpretRequest(body.value, interpretOptions);
  if (!interpretation.ok) {
    const { rejected } = interpretation;
    context.warn(`checkout request ${rejected.requestId} rejected (${rejected.code}): ${rejected.problems.length} problem(s)`);
    return problemResponse({
      ...problem(400, rejected.code, 'Invalid checkout request', describeProblems(rejected.problems), rejected.problems),
      requestId: rejected.requestId,
    });
  }

  const { accepted } = interpretation;
  if (mode === 'async') {
    context.extraOutputs.set(requestsQueueOutput, JSON.stringify(accepted.request));
    context.log(`checkout request ${accepted.requestId} accepted: ${accepted.action} ${accepted.route.variant}`);
    return {
      status: 202,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      jsonBody: { requestId: accepted.requestId, status: 'accepted' },
    };
  }

  const outcome = await runCheckout({ interpretation, source: 'http', receivedAt, finalAttempt: true }, runDependencies());
  if (outcome.kind !== 'completed') throw new Error('a final attempt must complete');
  context.extraOutputs.set(resultsQueueOutput, JSON.stringify(outcome.result));
  context.log(`checkout request ${accepted.requestId} ${outcome.result.status}${outcome.result.error ? ` (${outcome.result.error.code})` : ''}`);
  return resultResponse(outcome.result);
}

function describeProblems(problems: ReadonlyArray<{ pointer: string; detail: string }>): string {
  return problems.map((p) => (p.pointer ? `${p.pointer} ${p.detail}` : p.detail)).join('; ');
}

app.http('checkoutHttp', {
  methods: ['POST'],
  authLevel: 'function',
  route: 'checkout',
  extraOutputs: [requestsQueueOutput, resultsQueueOutput],
  handler: checkoutHttp,
});
