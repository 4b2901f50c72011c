import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { HttpHandler } from '@azure/functions';
import {
  createHostDouble,
  startAzurite,
  startGraphEmulator,
  startManagedIdentityEmulator,
  type AzuriteInstance,
  type GraphEmulator,
  type HostDouble,
  type ManagedIdentityEmulator,
  type NormalizedHttpResponse,
} from '../support';

export const CLIENT_ID = '6e2b1c9a-4f1d-4a55-9d6e-3c1f0b7a2e11';

/**
 * Everything a checkout runs against, real and on loopback: Azurite for the queues, the
 * managed-identity endpoint @azure/identity calls, the Graph emulator, and the host double
 * that delivers messages to the real handlers. Settings are set before the function modules
 * load, as the Functions host does.
 */
export interface World {
  azurite: AzuriteInstance;
  identity: ManagedIdentityEmulator;
  graph: GraphEmulator;
  host: HostDouble;
  requestsQueue: string;
  resultsQueue: string;
  /** POST /api/checkout through the real HTTP handler. */
  post(body: unknown, options?: { query?: Record<string, string>; headers?: Record<string, string>; rawBody?: string }): Promise<NormalizedHttpResponse>;
  /** GET /api/checkout/{requestId} through the real status handler. */
  status(requestId: string): Promise<NormalizedHttpResponse>;
  /** Deliver queued requests until the queue is empty; returns the results written meanwhile. */
  deliver(options?: { visibilityTimeoutOverrideMs?: number; timeoutMs?: number }): Promise<Array<Record<string, unknown>>>;
  results(): Promise<Array<Record<string, unknown>>>;
  stop(): Promise<void>;
}

export async function startWorld(settings: Record<string, string> = {}, identityOptions: { tokenLifetimeSeconds?: number } = {}): Promise<World> {
  const azurite = await startAzurite({ table: true });
  const identity = await startManagedIdentityEmulator(identityOptions);
  const graph = await startGraphEmulator({ isValidToken: (token) => identity.isIssued(token) });
  Object.assign(process.env, {
    AzureWebJobsStorage: azurite.connectionString,
    GRAPH_BASE_URL: graph.url,
    AZURE_CLIENT_ID: CLIENT_ID,
    GRAPH_TIMEOUT_MS: '2000',
    GRAPH_RETRY_BUDGET_MS: '3000',
    // Re-queued requests come back after whole seconds (the queue's granularity); keep it the minimum.
    CHECKOUT_RETRY_BASE_DELAY_MS: '100',
    ...identity.env,
    ...settings,
  });
  const { checkoutHttp } = await import('../../src/functions/checkoutHttp');
  const { checkoutQueue } = await import('../../src/functions/checkoutQueue');
  const { checkoutStatus } = await import('../../src/functions/checkoutStatus');
  const { requestsQueueOutput, resultsQueueOutput } = await import('../../src/app/bindings');
  const { config } = await import('../../src/app/settings');

  const host = createHostDouble({ connectionString: azurite.connectionString });
  host.queueFunction({ name: 'checkoutQueue', queueName: config.requestsQueue, handler: checkoutQueue, extraOutputs: [resultsQueueOutput] });
  await host.ensureQueues([config.requestsQueue, config.resultsQueue, `${config.requestsQueue}-poison`]);

  const parseAll = (texts: string[]) => texts.map((text) => JSON.parse(text) as Record<string, unknown>);
  return {
    azurite,
    identity,
    graph,
    host,
    requestsQueue: config.requestsQueue,
    resultsQueue: config.resultsQueue,
    post: (body, options = {}) =>
      host.invokeHttp({
        name: 'checkoutHttp',
        handler: checkoutHttp as HttpHandler,
        request: {
          method: 'POST',
          url: 'http://localhost:7071/api/checkout',
          headers: { 'content-type': 'application/json', ...options.headers },
          body: options.rawBody ?? JSON.stringify(body),
          query: options.query ?? {},
        },
        extraOutputs: [requestsQueueOutput, resultsQueueOutput],
      }),
    status: (requestId) =>
      host.invokeHttp({
        name: 'checkoutStatus',
        handler: checkoutStatus as HttpHandler,
        request: { method: 'GET', url: `http://localhost:7071/api/checkout/${encodeURIComponent(requestId)}`, params: { requestId } },
      }),
    async deliver(options = {}) {
      await host.deliverAll({ visibilityTimeoutOverrideMs: 50, ...options });
      return parseAll(await host.receiveAll(config.resultsQueue));
    },
    results: async () => parseAll(await host.receiveAll(config.resultsQueue)),
    async stop() {
      await Promise.allSettled([graph.stop(), identity.stop(), azurite.stop()]);
    },
  };
}

/**
 * One world for a test file: started before its tests, stopped after, and between tests the
 * Graph emulator reset and the results queue emptied. The returned object stands for the
 * world once it has started.
 */
export function useWorld(settings: Record<string, string> = {}): World {
  let current: World | undefined;
  beforeAll(async () => {
    current = await startWorld(settings);
  }, 60_000);
  afterAll(async () => current?.stop());
  beforeEach(async () => {
    current!.graph.reset();
    await current!.results();
  });
  return new Proxy({} as World, {
    get: (_target, property) => {
      if (!current) throw new Error('the world is used before beforeAll started it');
      return current[property as keyof World];
    },
  });
}
