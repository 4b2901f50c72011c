import type { ItemSet } from '../emulators/protocol';
import type { Sample } from '../lib/measure';

/** What crosses between the bench and its phase processes (JSON both ways). */

export interface OverheadOptions {
  graphUrl: string;
  items: ItemSet;
  concurrencies: number[];
  rounds: number;
  /** Requests per run at concurrency 16; other levels scale with concurrency. */
  requestsAt16: number;
  warmupRequests: number;
  ownCodeRequests: number;
}

/** `fetch` is the baseline the targets use; `http` is the app's own transport, bare. */
export const OVERHEAD_MODES = ['fetch', 'http', 'app'] as const;
export type OverheadMode = (typeof OVERHEAD_MODES)[number];

export interface OverheadRound {
  samples: Record<OverheadMode, Sample>;
  /** Rotated every round so drift does not favour one mode. */
  order: OverheadMode[];
}

export interface OverheadLevel {
  concurrency: number;
  requests: number;
  rounds: OverheadRound[];
  failures: Record<OverheadMode, number>;
}

export interface OverheadRaw {
  /** The very first request through the app: identity library, token, connection. */
  firstAppRequestMs: number;
  levels: OverheadLevel[];
  /** The app's code alone, against a Graph that answers without I/O. */
  ownCode: { requests: number; cpuUs: number };
}

export interface ThrottlingOptions {
  client: 'app' | 'fetch';
  graphUrl: string;
  items: ItemSet;
  concurrency: number;
  /**
   * Slots start spread over this long. Started all at once they stay in lockstep: every
   * throttled call then waits out the same whole-second Retry-After, and each window opens
   * with a gap no client that honours Retry-After can fill.
   */
  rampMs: number;
  warmupSeconds: number;
  seconds: number;
}

export interface ThrottlingRaw {
  measuredSeconds: number;
  succeeded: number;
  /** When each success completed, in ms from the start of the measured window. */
  successAtMs: number[];
  /** Results that were not successes, by error code (throttled once the retries ran out). */
  failedByCode: Record<string, number>;
  /** Graph calls made by requests that completed in the window, per their results. */
  attemptsOfCompleted: number;
  completed: number;
}

export interface MemoryOptions {
  items: ItemSet;
  requests: number;
  concurrency: number;
  warmupRequests: number;
  traceEvery: number;
}

export interface MemoryRaw {
  /** With the app loaded, before its first request. */
  rssAtStartBytes: number;
  /** After the warm-up requests. */
  rssBeforeBytes: number;
  rssAfterBytes: number;
  heapBeforeBytes: number;
  heapAfterBytes: number;
  peakRssBytes: number;
  failures: number;
  seconds: number;
  /** [requests done, RSS bytes] without a forced collection: the shape of the curve. */
  trace: Array<[number, number]>;
}

export interface ColdStartProbeResult {
  loadMs: number;
  /** CPU of the load; less disturbed than wall time by other work on the machine. */
  loadCpuMs: number;
  rssBeforeBytes: number;
  rssAfterBytes: number;
  heapUsedBytes: number;
  modules: number;
  /** Every package with a file in the module cache after loading. */
  packages: string[];
  /** With BENCH_RECORD_REGISTRATIONS: the functions the modules registered, handlers left out. */
  registrations?: Array<{ method: string; name: string; options: Record<string, unknown> }>;
}
