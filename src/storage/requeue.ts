import { QueueClient } from '@azure/storage-queue';
import type { TokenCredential } from '@azure/identity';
import type { StorageConnection } from './connection';

/**
 * Puts a request back on the requests queue, hidden for a while. An output binding cannot set
 * a visibility delay, and holding the invocation asleep through a long Retry-After would cost
 * an instance for nothing.
 */
export class RequestRequeuer {
  constructor(private readonly client: QueueClient) {}

  static create(connection: StorageConnection, queueName: string, credential: (clientId?: string) => TokenCredential): RequestRequeuer {
    const client =
      connection.kind === 'connectionString'
        ? new QueueClient(connection.connectionString, queueName)
        : new QueueClient(`${connection.queueServiceUri.replace(/\/$/, '')}/${queueName}`, credential(connection.clientId));
    return new RequestRequeuer(client);
  }

  async requeue(message: string, delayMs: number): Promise<void> {
    // host.json's messageEncoding is "none": plain JSON, as Logic Apps writes it.
    await this.client.sendMessage(message, { visibilityTimeout: Math.max(0, Math.ceil(delayMs / 1000)) });
  }
}
