import { app, type InvocationContext } from '@azure/functions';
import { resultsQueueOutput, STORAGE_CONNECTION } from '../app/bindings';
import { decodeQueueMessage } from '../app/queueMessage';
import { config, hostQueueSettings, interpretOptions, runDependencies } from '../app/runtime';
import { interpretRequest, rejectUnreadable } from '../checkout/interpret';
import { runCheckout } from '../checkout/run';

/** Thrown only to have the host deliver the message again; never on the final delivery. */
export class RedeliverError extends Error {
  override readonly name = 'RedeliverError';
}

/**
 * Runs each queued checkout request and writes its one result. A transient failure with
 * deliveries left throws, so the host redelivers after the visibility timeout; on the last
 * delivery it becomes a failed result, so nothing ends in the poison queue unanswered.
 */
export async function checkoutQueue(message: unknown, context: InvocationContext): Promise<void> {
  const receivedAt = new Date();
  const dequeueCount = Number(context.triggerMetadata?.['dequeueCount'] ?? 1);
  const finalAttempt = dequeueCount >= hostQueueSettings.maxDequeueCount;

  const decoded = decodeQueueMessage(message);
  const interpretation = decoded.ok ? interpretRequest(decoded.raw, interpretOptions) : rejectUnreadable(decoded.detail, interpretOptions.newRequestId);
  const outcome = await runCheckout({ interpretation, source: 'queue', receivedAt, finalAttempt }, runDependencies());

  if (outcome.kind === 'retryLater') {
    context.warn(
      `checkout request ${outcome.requestId} will be retried (delivery ${dequeueCount} of ${hostQueueSettings.maxDequeueCount}): ${outcome.error.code}`,
    );
    throw new RedeliverError(`transient ${outcome.error.code}; delivery ${dequeueCount} of ${hostQueueSettings.maxDequeueCount}`);
  }
  context.extraOutputs.set(resultsQueueOutput, JSON.stringify(outcome.result));
  const { result } = outcome;
  context.log(`checkout request ${result.requestId} ${result.status}${result.error ? ` (${result.error.code})` : ''} after ${result.attempts} Graph call(s)`);
}

app.storageQueue('checkoutQueue', {
  queueName: config.requestsQueue,
  connection: STORAGE_CONNECTION,
  extraOutputs: [resultsQueueOutput],
  handler: checkoutQueue,
});
