import type { ResultMessage } from './result';

/**
 * What the app remembers per requestId, so that at-least-once delivery still gives one Graph
 * call per outcome and one result per request.
 */
export interface RequestRecord {
  requestId: string;
  /**
   * queued: accepted over HTTP, not yet picked up; running: an invocation holds it; waiting:
   * re-queued for later; completed: result known.
   */
  state: 'queued' | 'running' | 'waiting' | 'completed';
  /** Graph calls made so far, across deliveries. */
  attempts: number;
  /** Deliveries that ran (or tried to run) the request, across re-queues. */
  deliveries: number;
  /** While running: until when the holder's claim is honoured (ms since epoch). */
  leaseUntil?: number;
  /** While waiting: not to be sent to Graph before this time (ms since epoch). */
  notBefore?: number;
  /** The queue message that completed it: its redelivery means the result may not be out. */
  completedBy?: string;
  result?: ResultMessage;
  updatedAt: number;
  /** After this the record is forgotten and the requestId may be used again. */
  expiresAt: number;
}

export interface StoredRecord {
  record: RequestRecord;
  /** Opaque version for optimistic concurrency. */
  etag: string;
}

/** The idempotency store: a key-value table with conditional writes. */
export interface RequestLedger {
  get(requestId: string): Promise<StoredRecord | undefined>;
  /** Inserts and returns the new etag; undefined when another writer got there first. */
  create(record: RequestRecord): Promise<string | undefined>;
  /** Replaces only if still at `etag` and returns the new one; undefined when someone else changed it. */
  replace(record: RequestRecord, etag: string): Promise<string | undefined>;
  /** Deletes records whose retention ended by `now`; returns how many. */
  purgeExpired(now: number): Promise<number>;
}

export interface ClaimOptions {
  now: number;
  leaseMs: number;
  ttlMs: number;
  /** The queue message being processed, or undefined for a synchronous HTTP call. */
  messageId?: string;
}

export type Claim =
  /** Ours to run; `record` is the claimed state (deliveries already counted), stored at `etag`. */
  | { kind: 'run'; record: RequestRecord; etag: string }
  /** Already done. `resend` when this is a redelivery of the message that completed it. */
  | { kind: 'done'; result: ResultMessage; resend: boolean }
  /** Another invocation holds it, or it waits for its Retry-After: try again after `waitMs`. */
  | { kind: 'busy'; waitMs: number; state: 'running' | 'waiting' };

const MAX_CLAIM_ROUNDS = 5;

/**
 * Takes the right to run a request. A completed request is never run again; a running one is
 * left to its holder until the lease lapses (a crashed invocation's claim then passes on); a
 * waiting one may run once its Retry-After has elapsed.
 */
export async function claimRequest(ledger: RequestLedger, requestId: string, options: ClaimOptions): Promise<Claim> {
  const { now } = options;
  for (let round = 0; round < MAX_CLAIM_ROUNDS; round++) {
    const stored = await ledger.get(requestId);
    const fresh: RequestRecord = {
      requestId,
      state: 'running',
      attempts: 0,
      deliveries: 1,
      leaseUntil: now + options.leaseMs,
      updatedAt: now,
      expiresAt: now + options.ttlMs,
    };
    if (!stored || stored.record.expiresAt <= now) {
      const etag = stored ? await ledger.replace(fresh, stored.etag) : await ledger.create(fresh);
      if (etag !== undefined) return { kind: 'run', record: fresh, etag };
      continue;
    }
    const { record } = stored;
    if (record.state === 'completed' && record.result) {
      return { kind: 'done', result: record.result, resend: options.messageId !== undefined && record.completedBy === options.messageId };
    }
    if (record.state === 'running' && (record.leaseUntil ?? 0) > now) {
      return { kind: 'busy', waitMs: (record.leaseUntil ?? now) - now, state: 'running' };
    }
    if (record.state === 'waiting' && (record.notBefore ?? 0) > now) {
      return { kind: 'busy', waitMs: (record.notBefore ?? now) - now, state: 'waiting' };
    }
    const claimed: RequestRecord = {
      ...record,
      state: 'running',
      deliveries: record.deliveries + 1,
      leaseUntil: now + options.leaseMs,
      updatedAt: now,
    };
    delete claimed.notBefore;
    const etag = await ledger.replace(claimed, stored.etag);
    if (etag !== undefined) return { kind: 'run', record: claimed, etag };
  }
  // Constant contention: let the trigger try again rather than spin.
  return { kind: 'busy', waitMs: 1000, state: 'running' };
}

/**
 * Notes a request accepted for the queue, so that its status can be asked for at once. A
 * record that already exists (the same requestId sent again) is left as it is.
 */
export async function recordQueued(ledger: RequestLedger, requestId: string, now: number, ttlMs: number): Promise<void> {
  const record: RequestRecord = { requestId, state: 'queued', attempts: 0, deliveries: 0, updatedAt: now, expiresAt: now + ttlMs };
  if ((await ledger.create(record)) !== undefined) return;
  // The requestId was seen before: keep its record, unless its retention has ended.
  const stored = await ledger.get(requestId);
  if (stored && stored.record.expiresAt <= now) await ledger.replace(record, stored.etag);
}

/** Records the outcome of a claimed request, and which message completed it. */
export async function completeRequest(
  ledger: RequestLedger,
  claim: { record: RequestRecord; etag: string },
  result: ResultMessage,
  now: number,
  messageId?: string,
): Promise<void> {
  const record: RequestRecord = { ...claim.record, state: 'completed', attempts: result.attempts, result, updatedAt: now };
  delete record.leaseUntil;
  delete record.notBefore;
  if (messageId !== undefined) record.completedBy = messageId;
  await writeOver(ledger, record, claim.etag);
}

/** Marks a claimed request as waiting until `notBefore`, keeping its counts. */
export async function deferRequest(
  ledger: RequestLedger,
  claim: { record: RequestRecord; etag: string },
  attempts: number,
  notBefore: number,
  now: number,
): Promise<void> {
  const record: RequestRecord = { ...claim.record, state: 'waiting', attempts, notBefore, updatedAt: now };
  delete record.leaseUntil;
  await writeOver(ledger, record, claim.etag);
}

/**
 * The holder of a claim writes its own record, in one conditional write at the claim's etag.
 * A concurrent change can only be a takeover of an expired lease, after which the later
 * writer's outcome is as good as ours: then write over it, unless it already completed.
 */
async function writeOver(ledger: RequestLedger, record: RequestRecord, etag: string): Promise<void> {
  if ((await ledger.replace(record, etag)) !== undefined) return;
  for (let round = 0; round < MAX_CLAIM_ROUNDS; round++) {
    const stored = await ledger.get(record.requestId);
    if (!stored) {
      if ((await ledger.create(record)) !== undefined) return;
      continue;
    }
    if (stored.record.state === 'completed') return;
    if ((await ledger.replace(record, stored.etag)) !== undefined) return;
  }
  throw new Error(`could not record the outcome of request ${record.requestId}`);
}
