import type { InvocationContext } from '@azure/functions';
import { resultsQueueOutput } from '../app/bindings';
import { deliverCallback } from '../app/callbackDelivery';
import { decodeQueueMessage } from '../app/queueMessage';
import { getRuntime, hostQueueSettings, interpretOptions } from '../app/runtime';
import { config } from '../app/settings';
import { handleQueueDelivery } from '../checkout/deliver';
import { interpretRequest, rejectUnreadable } from '../checkout/interpret';

/**
 * Runs each queued checkout request and writes its one result. A request already answered is
 * skipped; a transient failure goes back on the queue, hidden for at least its Retry-After.
 * It throws only when storage itself fails, so that the host delivers the message again.
 */
export async function checkoutQueue(message: unknown, context: InvocationContext): Promise<void> {
  const receivedAt = new Date();
  const metadata = context.triggerMetadata ?? {};
  const dequeueCount = Number(metadata['dequeueCount'] ?? 1);
  const messageId = String(metadata['id'] ?? context.invocationId);

  const decoded = decodeQueueMessage(message);
  const interpretation = decoded.ok ? interpretRequest(decoded.raw, interpretOptions) : rejectUnreadable(decoded.detail, interpretOptions.newRequestId);
  const runtime = await getRuntime();
  const decision = await handleQueueDelivery(
    { interpretation, messageId, dequeueCount, maxDeliveries: hostQueueSettings.maxDequeueCount, receivedAt },
    runtime.deps,
  );

  switch (decision.kind) {
    case 'emit': {
      const { result } = decision;
      context.extraOutputs.set(resultsQueueOutput, JSON.stringify(result));
      context.log(`checkout request ${result.requestId} ${result.status}${result.error ? ` (${result.error.code})` : ''} after ${result.attempts} Graph call(s)`);
      const callbackUrl = interpretation.ok ? interpretation.accepted.request.callbackUrl : undefined;
      if (callbackUrl !== undefined) {
        const outcome = await deliverCallback(callbackUrl, result, config.callbackHosts);
        if (outcome.delivered) context.log(`checkout request ${result.requestId}: result posted to its callbackUrl (${outcome.detail})`);
        else context.warn(`checkout request ${result.requestId}: could not post the result to its callbackUrl: ${outcome.detail}`);
      }
      return;
    }
    case 'skip':
      context.log(`checkout request ${decision.requestId} skipped: ${decision.reason}`);
      return;
    case 'requeue':
      await runtime.requeue(decision.message, decision.delayMs);
      context.warn(`checkout request ${decision.requestId} re-queued for ${Math.ceil(decision.delayMs / 1000)} s: ${decision.reason}`);
      return;
  }
}
