import { randomUUID } from 'node:crypto';
import { ManagedIdentityCredential } from '@azure/identity';
import type { InterpretOptions } from '../checkout/interpret';
import type { RunDependencies } from '../checkout/run';
import { loadConfig, type AppConfig } from '../config';
import { createGraphClient } from '../graph/client';
import { readHostQueueSettings, type HostQueueSettings } from './hostSettings';

export const USER_AGENT = 'graph-checkout-functions/0.1.0';

/** Settings are read when the app loads: a bad one stops start-up with its name. */
export const config: AppConfig = loadConfig();
export const hostQueueSettings: HostQueueSettings = readHostQueueSettings();

export const interpretOptions: InterpretOptions = { graphOrigin: config.graph.origin, newRequestId: randomUUID };

let dependencies: RunDependencies | undefined;

/**
 * Built on first use, once per process: the credential and its token cache, and the HTTP
 * client's keep-alive connections, serve every invocation after.
 */
export function runDependencies(): RunDependencies {
  dependencies ??= {
    graph: createGraphClient({
      origin: config.graph.origin,
      apiVersion: config.graph.apiVersion,
      credential: config.graph.clientId ? new ManagedIdentityCredential({ clientId: config.graph.clientId }) : new ManagedIdentityCredential(),
      timeoutMs: config.graph.timeoutMs,
      retryBudgetMs: config.graph.retryBudgetMs,
      userAgent: USER_AGENT,
    }),
    now: () => new Date(),
  };
  return dependencies;
}
