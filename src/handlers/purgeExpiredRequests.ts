import type { InvocationContext, Timer } from '@azure/functions';
import { getRuntime } from '../app/runtime';

/** Nightly: forget requestIds past CHECKOUT_IDEMPOTENCY_TTL_HOURS, so the ledger stays small. */
export async function purgeExpiredRequests(_timer: Timer, context: InvocationContext): Promise<void> {
  const { deps } = await getRuntime();
  const deleted = await deps.ledger.purgeExpired(deps.now().getTime());
  context.log(`purged ${deleted} expired request record(s)`);
}
