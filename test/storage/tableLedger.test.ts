import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimRequest, completeRequest, deferRequest } from '../../src/checkout/ledger';
import type { ResultMessage } from '../../src/checkout/result';
import { readStorageConnection } from '../../src/storage/connection';
import { TableRequestLedger } from '../../src/storage/tableLedger';
import { startAzurite, type AzuriteInstance } from '../support';

let azurite: AzuriteInstance;
let ledger: TableRequestLedger;
const HOUR = 3600_000;
const options = (now: number, messageId?: string) => ({ now, leaseMs: 60_000, ttlMs: HOUR, ...(messageId && { messageId }) });
const noCredential = () => {
  throw new Error('a connection string needs no credential');
};

function result(requestId: string): ResultMessage {
  return {
    requestId,
    action: 'checkout',
    status: 'succeeded',
    attempts: 1,
    source: 'queue',
    receivedAt: new Date(0).toISOString(),
    completedAt: new Date(0).toISOString(),
    durationMs: 0,
  };
}

beforeAll(async () => {
  azurite = await startAzurite({ table: true });
  ledger = TableRequestLedger.create(readStorageConnection({ AzureWebJobsStorage: azurite.connectionString }), 'ledgertest', noCredential);
});
afterAll(async () => azurite?.stop());

describe('the idempotency ledger (Azure Table storage)', () => {
  it('lets one of many simultaneous deliveries claim a request', async () => {
    const claims = await Promise.all(Array.from({ length: 8 }, () => claimRequest(ledger, 'race-1', options(1000))));
    expect(claims.filter((c) => c.kind === 'run')).toHaveLength(1);
    expect(claims.filter((c) => c.kind === 'busy')).toHaveLength(7);
  });

  it('answers a completed request from the record; resends only for the message that completed it', async () => {
    const claim = await claimRequest(ledger, 'done-1', options(1000, 'msg-a'));
    if (claim.kind !== 'run') throw new Error('expected to run');
    await completeRequest(ledger, claim, result('done-1'), 2000, 'msg-a');
    expect(await claimRequest(ledger, 'done-1', options(3000, 'msg-a'))).toMatchObject({ kind: 'done', resend: true });
    expect(await claimRequest(ledger, 'done-1', options(3000, 'msg-b'))).toMatchObject({ kind: 'done', resend: false });
  });

  it('passes a crashed holder’s claim on once its lease lapses, counting the delivery', async () => {
    const first = await claimRequest(ledger, 'crash-1', options(1000));
    expect(first.kind).toBe('run');
    expect(await claimRequest(ledger, 'crash-1', options(30_000))).toMatchObject({ kind: 'busy', state: 'running' });
    expect(await claimRequest(ledger, 'crash-1', options(62_000))).toMatchObject({ kind: 'run', record: { deliveries: 2 } });
  });

  it('holds a deferred request until its Retry-After, keeping its attempt count', async () => {
    const claim = await claimRequest(ledger, 'wait-1', options(1000));
    if (claim.kind !== 'run') throw new Error('expected to run');
    await deferRequest(ledger, claim, 3, 11_000, 1000);
    expect(await claimRequest(ledger, 'wait-1', options(10_999))).toMatchObject({ kind: 'busy', state: 'waiting', waitMs: 1 });
    expect(await claimRequest(ledger, 'wait-1', options(11_000))).toMatchObject({ kind: 'run', record: { attempts: 3, deliveries: 2 } });
  });

  it('purges records past their retention, and only those', async () => {
    for (const [id, now] of [['purge-old', 1000], ['purge-new', 10 * HOUR]] as const) {
      const claim = await claimRequest(ledger, id, options(now));
      if (claim.kind !== 'run') throw new Error('expected to run');
      await completeRequest(ledger, claim, result(id), now);
    }
    expect(await ledger.purgeExpired(2 * HOUR)).toBeGreaterThanOrEqual(1);
    expect(await ledger.get('purge-old')).toBeUndefined();
    expect(await ledger.get('purge-new')).toBeDefined();
  });

  it('forgets a requestId after the retention window', async () => {
    const claim = await claimRequest(ledger, 'old-1', options(1000));
    if (claim.kind !== 'run') throw new Error('expected to run');
    await completeRequest(ledger, claim, result('old-1'), 2000);
    expect((await claimRequest(ledger, 'old-1', options(1000 + HOUR - 1))).kind).toBe('done');
    expect(await claimRequest(ledger, 'old-1', options(1000 + HOUR))).toMatchObject({ kind: 'run', record: { deliveries: 1, attempts: 0 } });
  });
});
