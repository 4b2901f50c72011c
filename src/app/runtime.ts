import { randomUUID } from 'node:crypto';
import type { TokenCredential } from '@azure/identity';
import type { DeliveryDependencies } from '../checkout/deliver';
import type { InterpretOptions } from '../checkout/interpret';
import { readHostQueueSettings, type HostQueueSettings } from './hostSettings';
import { config } from './settings';

export const USER_AGENT = 'graph-checkout-functions/0.1.0';

export const hostQueueSettings: HostQueueSettings = readHostQueueSettings();

export const interpretOptions: InterpretOptions = {
  graphOrigin: config.graph.origin,
  newRequestId: randomUUID,
  callbackHosts: config.callbackHosts,
};

/** Longer than any one invocation may run (host.json functionTimeout), so a live claim is never taken over. */
const CLAIM_LEASE_MS = 5 * 60_000 + 30_000;

export interface Runtime {
  deps: DeliveryDependencies;
  requeue(message: string, delayMs: number): Promise<void>;
}

let runtime: Promise<Runtime> | undefined;

/**
 * Built on first use, once per process: credentials and their token caches, the storage
 * clients and the HTTP client's keep-alive connections serve every invocation after. The
 * Azure SDK modules load here, not at start-up, so a cold start pays only for what it runs.
 */
export function getRuntime(): Promise<Runtime> {
  runtime ??= buildRuntime().catch((error: unknown) => {
    runtime = undefined;
    throw error;
  });
  return runtime;
}

async function buildRuntime(): Promise<Runtime> {
  const [{ ManagedIdentityCredential }, { createGraphClient }, { readStorageConnection }, { TableRequestLedger }, { RequestRequeuer }] =
    await Promise.all([
      import('@azure/identity'),
      import('../graph/client'),
      import('../storage/connection'),
      import('../storage/tableLedger'),
      import('../storage/requeue'),
    ]);
  const credentials = new Map<string, TokenCredential>();
  const credential = (clientId?: string): TokenCredential => {
    const key = clientId ?? '';
    let existing = credentials.get(key);
    if (!existing) {
      existing = clientId ? new ManagedIdentityCredential({ clientId }) : new ManagedIdentityCredential();
      credentials.set(key, existing);
    }
    return existing;
  };
  const storage = readStorageConnection(process.env);
  const requeuer = RequestRequeuer.create(storage, config.requestsQueue, credential);
  return {
    deps: {
      graph: createGraphClient({
        origin: config.graph.origin,
        apiVersion: config.graph.apiVersion,
        credential: credential(config.graph.clientId),
        timeoutMs: config.graph.timeoutMs,
        retryBudgetMs: config.graph.retryBudgetMs,
        userAgent: USER_AGENT,
      }),
      now: () => new Date(),
      ledger: TableRequestLedger.create(storage, config.idempotency.table, credential),
      leaseMs: CLAIM_LEASE_MS,
      ttlMs: config.idempotency.ttlMs,
      backoffBaseMs: config.retryBaseDelayMs,
    },
    requeue: (message, delayMs) => requeuer.requeue(message, delayMs),
  };
}
