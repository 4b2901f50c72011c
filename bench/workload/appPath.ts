/*
 * Loading this module loads the app: its settings are read from the environment the phase
 * process was started with, as the Functions host starts the worker with app settings.
 */
import { ManagedIdentityCredential } from '@azure/identity';
import { decodeQueueMessage } from '../../src/app/queueMessage';
import { interpretOptions, USER_AGENT } from '../../src/app/runtime';
import { config } from '../../src/app/settings';
import { interpretRequest } from '../../src/checkout/interpret';
import type { ResultMessage } from '../../src/checkout/result';
import { runCheckout, type RunDependencies } from '../../src/checkout/run';
import { createGraphClient } from '../../src/graph/client';

/**
 * The run path's dependencies, wired from the app's settings as src/app/runtime.ts wires its
 * Graph client. The request ledger and re-queueing talk to storage, not Graph, and are not
 * part of what this bench weighs.
 */
const graphDeps: RunDependencies = {
  graph: createGraphClient({
    origin: config.graph.origin,
    apiVersion: config.graph.apiVersion,
    credential: config.graph.clientId ? new ManagedIdentityCredential({ clientId: config.graph.clientId }) : new ManagedIdentityCredential(),
    timeoutMs: config.graph.timeoutMs,
    retryBudgetMs: config.graph.retryBudgetMs,
    userAgent: USER_AGENT,
  }),
  now: () => new Date(),
};

/**
 * One queue message through the app: decode, validate, route, token, Graph call with its
 * retries, and the result serialized for the results queue.
 */
export async function runThroughApp(messageText: string, deps: RunDependencies = graphDeps): Promise<{ result: ResultMessage; serialized: string }> {
  const receivedAt = new Date();
  const decoded = decodeQueueMessage(messageText);
  if (!decoded.ok) throw new Error(`bench message did not decode: ${decoded.detail}`);
  const interpretation = interpretRequest(decoded.raw, interpretOptions);
  const outcome = await runCheckout({ interpretation, source: 'queue', receivedAt, finalAttempt: true }, deps);
  if (outcome.kind !== 'completed') throw new Error('a final attempt must complete');
  // The results queue gets text; producing it is the app's cost.
  return { result: outcome.result, serialized: JSON.stringify(outcome.result) };
}
