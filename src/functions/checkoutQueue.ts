import { app, type InvocationContext } from '@azure/functions';
import { resultsQueueOutput, STORAGE_CONNECTION } from '../app/bindings';
import { config } from '../app/settings';

/** The requests queue's trigger. Registration only: the handler loads on the first message. */
export async function checkoutQueue(message: unknown, context: InvocationContext): Promise<void> {
  return (await import('../handlers/checkoutQueue')).checkoutQueue(message, context);
}

app.storageQueue('checkoutQueue', {
  queueName: config.requestsQueue,
  connection: STORAGE_CONNECTION,
  extraOutputs: [resultsQueueOutput],
  handler: checkoutQueue,
});
