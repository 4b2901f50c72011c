import { QueueServiceClient } from '@azure/storage-queue';
import { describe, expect, it } from 'vitest';
import { startAzurite } from './azurite';

describe('azurite', () => {
  it('starts the queue service quickly and the connection string works with the real SDK', async () => {
    const started = Date.now();
    const azurite = await startAzurite();
    try {
      expect(Date.now() - started).toBeLessThan(5000);
      expect(azurite.queueEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1$/);
      expect(azurite.tableEndpoint).toBeUndefined();
      expect(azurite.connectionString).toContain(`QueueEndpoint=${azurite.queueEndpoint}`);

      const queue = QueueServiceClient.fromConnectionString(azurite.connectionString).getQueueClient('probe');
      await queue.create();
      await queue.sendMessage('hello');
      const received = await queue.receiveMessages();
      expect(received.receivedMessageItems.map((m) => m.messageText)).toEqual(['hello']);
    } finally {
      await azurite.stop();
    }
    await expect(fetch(azurite.queueEndpoint)).rejects.toThrow();
  }, 20_000);

  it('optionally starts the table service too, on its own port', async () => {
    const azurite = await startAzurite({ table: true });
    try {
      expect(azurite.tableEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1$/);
      expect(azurite.tableEndpoint).not.toBe(azurite.queueEndpoint);
      expect(azurite.connectionString).toContain(`TableEndpoint=${azurite.tableEndpoint}`);
      // Any HTTP answer proves the service is up; auth is not what this checks.
      const res = await fetch(`${azurite.tableEndpoint ?? ''}/Tables`, { headers: { Accept: 'application/json' } });
      expect(res.status).toBeGreaterThanOrEqual(200);
    } finally {
      await azurite.stop();
    }
    await expect(fetch(`${azurite.tableEndpoint ?? ''}/Tables`)).rejects.toThrow();
  }, 20_000);

  it('runs independent instances side by side and stop() is idempotent', async () => {
    const [a, b] = await Promise.all([startAzurite(), startAzurite()]);
    expect(a.queueEndpoint).not.toBe(b.queueEndpoint);
    await Promise.all([a.stop(), b.stop(), a.stop()]);
  }, 20_000);
});
