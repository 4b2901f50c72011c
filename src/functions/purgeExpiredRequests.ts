import { app, type InvocationContext, type Timer } from '@azure/functions';

/** Nightly clean-up of the idempotency ledger. Registration only: the handler loads when it runs. */
export async function purgeExpiredRequests(timer: Timer, context: InvocationContext): Promise<void> {
  return (await import('../handlers/purgeExpiredRequests')).purgeExpiredRequests(timer, context);
}

app.timer('purgeExpiredRequests', {
  schedule: '0 17 3 * * *',
  runOnStartup: false,
  handler: purgeExpiredRequests,
});
