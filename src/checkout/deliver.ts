import type { AcceptedRequest, Interpretation } from './interpret';
import { claimRequest, completeRequest, deferRequest, type RequestLedger } from './ledger';
import type { ResultMessage } from './result';
import { runCheckout, type RunDependencies } from './run';

export interface DeliveryDependencies extends RunDependencies {
  ledger: RequestLedger;
  /** How long a claim is honoured before another delivery may take the request over. */
  leaseMs: number;
  /** How long a requestId is remembered. */
  ttlMs: number;
  /** First wait between deliveries when Graph gave no Retry-After; doubles each time. */
  backoffBaseMs: number;
  random?: () => number;
}

export interface QueueDelivery {
  interpretation: Interpretation;
  messageId: string;
  dequeueCount: number;
  /** Deliveries a request gets in all, counting re-queues; the last writes a failed result. */
  maxDeliveries: number;
  receivedAt: Date;
}

export type DeliveryDecision =
  /** Write this result. */
  | { kind: 'emit'; result: ResultMessage }
  /** Already answered: write nothing. */
  | { kind: 'skip'; requestId: string; reason: string }
  /** Put the request back on the queue, invisible for `delayMs`; this delivery is done. */
  | { kind: 'requeue'; requestId: string; message: string; delayMs: number; reason: string };

/**
 * One queue delivery → what to do with it. A request already completed is not sent to Graph
 * again and gets no second result; a transient failure goes back on the queue for at least
 * its Retry-After rather than holding the invocation asleep; the last delivery always ends in
 * a result.
 */
export async function handleQueueDelivery(delivery: QueueDelivery, deps: DeliveryDependencies): Promise<DeliveryDecision> {
  const { interpretation, receivedAt } = delivery;
  if (!interpretation.ok) {
    const outcome = await runCheckout({ interpretation, source: 'queue', receivedAt, finalAttempt: true }, deps);
    return completedDecision(outcome);
  }
  const { accepted } = interpretation;
  const now = deps.now().getTime();
  const claim = await claimRequest(deps.ledger, accepted.requestId, { now, leaseMs: deps.leaseMs, ttlMs: deps.ttlMs, messageId: delivery.messageId });
  if (claim.kind === 'done') {
    return claim.resend
      ? { kind: 'emit', result: claim.result }
      : { kind: 'skip', requestId: accepted.requestId, reason: 'already completed; its result was written before' };
  }
  if (claim.kind === 'busy') {
    // Never drop it: the holder may yet fail. Look again soon for a running request (most
    // finish in seconds), at its Retry-After for a waiting one; a copy that then finds the
    // request completed is skipped.
    const delayMs = claim.state === 'running' ? Math.min(claim.waitMs, Math.max(deps.backoffBaseMs, 1000)) : claim.waitMs;
    return requeue(accepted, delayMs, `${claim.state} elsewhere`);
  }

  const finalAttempt = claim.record.deliveries >= delivery.maxDeliveries || delivery.dequeueCount >= delivery.maxDeliveries;
  const outcome = await runCheckout(
    { interpretation, source: 'queue', receivedAt, finalAttempt, priorAttempts: claim.record.attempts },
    deps,
  );
  if (outcome.kind === 'completed') {
    await completeRequest(deps.ledger, claim, outcome.result, deps.now().getTime(), delivery.messageId);
    return { kind: 'emit', result: outcome.result };
  }
  const delayMs = Math.min(
    MAX_QUEUE_DELAY_MS,
    Math.max(outcome.retryAfterMs ?? 0, backoffMs(claim.record.deliveries, deps.backoffBaseMs, deps.random ?? Math.random)),
  );
  await deferRequest(deps.ledger, claim, outcome.attempts, deps.now().getTime() + delayMs, deps.now().getTime());
  return requeue(accepted, delayMs, `${outcome.error.code}, delivery ${claim.record.deliveries} of ${delivery.maxDeliveries}`);
}

export type SyncDecision =
  | { kind: 'emit'; result: ResultMessage }
  /** Answered before: reply with that result, write nothing new. */
  | { kind: 'duplicate'; result: ResultMessage }
  | { kind: 'busy'; requestId: string; waitMs: number };

/** A synchronous HTTP request: the same promises as the queue, answered now. */
export async function handleSyncRequest(interpretation: Interpretation, receivedAt: Date, deps: DeliveryDependencies): Promise<SyncDecision> {
  if (!interpretation.ok) {
    return completedDecision(await runCheckout({ interpretation, source: 'http', receivedAt, finalAttempt: true }, deps));
  }
  const { accepted } = interpretation;
  const claim = await claimRequest(deps.ledger, accepted.requestId, { now: deps.now().getTime(), leaseMs: deps.leaseMs, ttlMs: deps.ttlMs });
  if (claim.kind === 'done') return { kind: 'duplicate', result: claim.result };
  if (claim.kind === 'busy') return { kind: 'busy', requestId: accepted.requestId, waitMs: claim.waitMs };
  const outcome = await runCheckout(
    { interpretation, source: 'http', receivedAt, finalAttempt: true, priorAttempts: claim.record.attempts },
    deps,
  );
  const decision = completedDecision(outcome);
  await completeRequest(deps.ledger, claim, decision.result, deps.now().getTime());
  return decision;
}

function completedDecision(outcome: Awaited<ReturnType<typeof runCheckout>>): { kind: 'emit'; result: ResultMessage } {
  if (outcome.kind !== 'completed') throw new Error('a final attempt must complete');
  return { kind: 'emit', result: outcome.result };
}

function requeue(accepted: AcceptedRequest, delayMs: number, reason: string): DeliveryDecision {
  return { kind: 'requeue', requestId: accepted.requestId, message: JSON.stringify(accepted.request), delayMs: Math.ceil(delayMs), reason };
}

const BACKOFF_MAX_MS = 10 * 60_000;
/** Azure Queue storage hides a message for at most seven days. */
const MAX_QUEUE_DELAY_MS = 7 * 24 * 3600_000 - 60_000;

/** Between deliveries: base, 2×base, 4×base, … up to 10 min, each with jitter in its upper half. */
function backoffMs(deliveries: number, baseMs: number, random: () => number): number {
  const ceiling = Math.min(BACKOFF_MAX_MS, baseMs * 2 ** Math.max(0, deliveries - 1));
  return ceiling / 2 + random() * (ceiling / 2);
}
