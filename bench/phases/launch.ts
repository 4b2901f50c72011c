import { join } from 'node:path';
import type { BenchFlags } from '../cli/flags';
import type { EmulatorHost } from '../emulators/hostClient';
import type { GraphSetup } from '../emulators/protocol';
import { runPhase } from '../lib/phaseProcess';
import { summarizeThrottling, type ThrottlingSummary } from '../report/summaries';
import { itemSet } from '../workload/items';
import type { MemoryOptions, MemoryRaw, OverheadOptions, OverheadRaw, ThrottlingOptions, ThrottlingRaw } from './types';

/*
 * Each phase gets a Graph emulator of its own (a clean call record and early-retry count),
 * and a process whose settings point the app at it.
 */

/** A user-assigned identity, as in Azure; the emulator issues tokens for any client id. */
const BENCH_CLIENT_ID = '0b3f6c2e-8d1a-4c7b-9e55-2a6f4d1c9b70';
const GC = ['--expose-gc'];
/** Enough for RSS to level off (V8 has sized its young generation by then); see the README. */
export const MEMORY_WARMUP_REQUESTS = 3000;

/** Only what the app reads: a developer's own GRAPH_* or IDENTITY_* must not leak in. */
function appEnv(host: EmulatorHost, graphUrl: string, settings: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env['PATH'] ?? '',
    GRAPH_BASE_URL: graphUrl,
    AZURE_CLIENT_ID: BENCH_CLIENT_ID,
    ...host.identityEnv,
    ...settings,
  };
}

async function withGraph<T>(host: EmulatorHost, setup: GraphSetup, body: (url: string) => Promise<T>): Promise<T> {
  const url = await host.startGraph(setup);
  try {
    return await body(url);
  } finally {
    await host.stopGraph();
  }
}

export function overheadPhase(host: EmulatorHost, flags: BenchFlags): Promise<OverheadRaw> {
  const items = itemSet('OVERHEAD', 1000);
  return withGraph(host, { latencyMs: flags.latencyMs, items }, (graphUrl) => {
    const options: OverheadOptions = {
      graphUrl,
      items,
      concurrencies: flags.concurrency,
      rounds: flags.rounds,
      requestsAt16: flags.overheadRequests,
      warmupRequests: 300,
      ownCodeRequests: 5000,
    };
    return runPhase<OverheadOptions, OverheadRaw>(join(__dirname, 'overhead.js'), options, { env: appEnv(host, graphUrl), execArgv: GC });
  });
}

export function throttlingPhase(host: EmulatorHost, flags: BenchFlags, client: ThrottlingOptions['client']): Promise<ThrottlingSummary> {
  const warmupSeconds = 2;
  const seconds = warmupSeconds + flags.throttleSeconds;
  // One item per request: a request completes only by success (≤ limit/s) or by spending its
  // retries (≥ ~6 s of Retry-After), which bounds how many can start.
  const count = Math.ceil(flags.rateLimit * seconds * 1.5 + flags.throttleConcurrency * (seconds / 6 + 2));
  const items = itemSet('THROTTLE', count);
  return withGraph(host, { latencyMs: flags.latencyMs, rateLimitPerSecond: flags.rateLimit, rateLimitWindowSeconds: flags.throttleWindow, items }, async (graphUrl) => {
    const options: ThrottlingOptions = {
      client,
      graphUrl,
      items,
      concurrency: flags.throttleConcurrency,
      rampMs: 1000,
      warmupSeconds,
      seconds: flags.throttleSeconds,
    };
    // A budget far beyond the waits, so every retry within the call honours Retry-After.
    const env = appEnv(host, graphUrl, { GRAPH_RETRY_BUDGET_MS: '120000' });
    const raw = await runPhase<ThrottlingOptions, ThrottlingRaw>(join(__dirname, 'throttling.js'), options, { env });
    return summarizeThrottling(raw, await host.graphStats(), flags.rateLimit, flags.throttleWindow, flags.throttleConcurrency);
  });
}

export function memoryPhase(host: EmulatorHost, flags: BenchFlags): Promise<MemoryRaw> {
  const items = itemSet('MEMORY', 1000);
  // No emulated latency: memory depends on the requests made, and this makes them quickly.
  return withGraph(host, { latencyMs: 0, items }, (graphUrl) => {
    const options: MemoryOptions = {
      items,
      requests: flags.requests,
      concurrency: flags.memoryConcurrency,
      warmupRequests: MEMORY_WARMUP_REQUESTS,
      traceEvery: Math.max(100, Math.round(flags.requests / 40)),
    };
    return runPhase<MemoryOptions, MemoryRaw>(join(__dirname, 'memory.js'), options, { env: appEnv(host, graphUrl), execArgv: GC });
  });
}
