import type { GraphStats } from '../emulators/protocol';
import type { ColdStartRaw } from '../phases/coldStart';
import type { Sample } from '../lib/measure';
import { OVERHEAD_MODES, type MemoryRaw, type OverheadMode, type OverheadRaw, type ThrottlingRaw } from '../phases/types';
import { median, MIB, round } from '../lib/stats';
import { successesPerSecond } from './throughput';

export interface OverheadLevelSummary {
  concurrency: number;
  requestsPerRun: number;
  rounds: number;
  /** Medians over rounds. */
  rps: Record<OverheadMode, number>;
  cpuUsPerRequest: Record<OverheadMode, number>;
  /** Median over rounds of baseline wall time ÷ app wall time; each round's runs ran back to back. */
  throughputRatio: { vsFetch: number; vsHttp: number };
  /** Median over rounds of (app CPU − baseline CPU) ÷ requests. */
  addedCpuUsPerRequest: { vsFetch: number; vsHttp: number };
  failures: Record<OverheadMode, number>;
}

export interface OverheadSummary {
  firstAppRequestMs: number;
  /** CPU of the app's code alone per request (Graph answering without I/O). */
  ownCodeCpuUsPerRequest: number;
  levels: OverheadLevelSummary[];
}

export function summarizeOverhead(raw: OverheadRaw): OverheadSummary {
  return {
    firstAppRequestMs: round(raw.firstAppRequestMs, 1),
    ownCodeCpuUsPerRequest: round(raw.ownCode.cpuUs / raw.ownCode.requests, 1),
    levels: raw.levels.map((level) => {
      const n = level.requests;
      const perMode = (pick: (sample: Sample) => number): Record<OverheadMode, number> =>
        Object.fromEntries(OVERHEAD_MODES.map((mode) => [mode, round(median(level.rounds.map((r) => pick(r.samples[mode]))), 1)])) as Record<OverheadMode, number>;
      const ratio = (base: OverheadMode): number => round(median(level.rounds.map((r) => r.samples[base].wallMs / r.samples.app.wallMs)), 3);
      const added = (base: OverheadMode): number => round(median(level.rounds.map((r) => (r.samples.app.cpuUs - r.samples[base].cpuUs) / n)), 1);
      return {
        concurrency: level.concurrency,
        requestsPerRun: n,
        rounds: level.rounds.length,
        rps: perMode((sample) => n / (sample.wallMs / 1000)),
        cpuUsPerRequest: perMode((sample) => sample.cpuUs / n),
        throughputRatio: { vsFetch: ratio('fetch'), vsHttp: ratio('http') },
        addedCpuUsPerRequest: { vsFetch: added('fetch'), vsHttp: added('http') },
        failures: level.failures,
      };
    }),
  };
}

export interface ColdStartSummary {
  appLoadMs: number;
  dependenciesLoadMs: number;
  addedTimePct: number;
  appLoadCpuMs: number;
  dependenciesLoadCpuMs: number;
  addedCpuPct: number;
  appRssAddedMiB: number;
  dependenciesRssAddedMiB: number;
  addedRssPct: number;
  bareNodeRssMiB: number;
  atStartup: string[];
  deferred: string[];
  /** Each runtime dependency alone: what start-up pays for it, or avoids by deferring it. */
  perDependency: Array<{ name: string; loadMs: number; rssAddedMiB: number; atStartup: boolean }>;
}

export function summarizeColdStart(raw: ColdStartRaw): ColdStartSummary {
  const pct = (app: number, deps: number): number => round(((app - deps) / deps) * 100, 1);
  return {
    appLoadMs: round(raw.app.loadMs, 1),
    dependenciesLoadMs: round(raw.dependencies.loadMs, 1),
    addedTimePct: pct(raw.app.loadMs, raw.dependencies.loadMs),
    appLoadCpuMs: round(raw.app.loadCpuMs, 1),
    dependenciesLoadCpuMs: round(raw.dependencies.loadCpuMs, 1),
    addedCpuPct: pct(raw.app.loadCpuMs, raw.dependencies.loadCpuMs),
    appRssAddedMiB: round(raw.app.rssAddedBytes / MIB, 1),
    dependenciesRssAddedMiB: round(raw.dependencies.rssAddedBytes / MIB, 1),
    addedRssPct: pct(raw.app.rssAddedBytes, raw.dependencies.rssAddedBytes),
    bareNodeRssMiB: round(raw.bareNode.rssAfterBytes / MIB, 1),
    atStartup: raw.dependencies.modules,
    deferred: raw.deferred,
    perDependency: raw.perDependency.map((dep) => ({
      name: dep.name,
      loadMs: round(dep.loadMs, 1),
      rssAddedMiB: round(dep.rssAddedBytes / MIB, 1),
      atStartup: dep.atStartup,
    })),
  };
}

export interface ThrottlingSummary {
  limitPerSecond: number;
  windowSeconds: number;
  concurrency: number;
  measuredSeconds: number;
  /** Whole limiter windows the rate is counted over; 0 when no bursts showed. */
  limiterWindows: number;
  successesPerSecond: number;
  shareOfLimit: number;
  earlyRetries: number;
  graphCalls: number;
  throttledResponses: number;
  /** Graph calls per request completed in the window, successes and give-ups alike. */
  graphCallsPerCompleted: number;
  failedResults: Record<string, number>;
}

export function summarizeThrottling(raw: ThrottlingRaw, stats: GraphStats, limitPerSecond: number, windowSeconds: number, concurrency: number): ThrottlingSummary {
  const { perSecond, windows } = successesPerSecond(raw.successAtMs, raw.measuredSeconds * 1000);
  return {
    limitPerSecond,
    windowSeconds,
    concurrency,
    measuredSeconds: raw.measuredSeconds,
    limiterWindows: windows,
    successesPerSecond: round(perSecond, 1),
    shareOfLimit: round(perSecond / limitPerSecond, 3),
    earlyRetries: stats.earlyRetries,
    graphCalls: stats.calls,
    throttledResponses: stats.byStatus['429'] ?? 0,
    graphCallsPerCompleted: raw.completed === 0 ? 0 : round(raw.attemptsOfCompleted / raw.completed, 2),
    failedResults: raw.failedByCode,
  };
}

export interface MemorySummary {
  requests: number;
  concurrency: number;
  requestsPerSecond: number;
  warmupRequests: number;
  rssAtStartMiB: number;
  rssBeforeMiB: number;
  rssAfterMiB: number;
  growthMiB: number;
  heapBeforeMiB: number;
  heapAfterMiB: number;
  peakRssMiB: number;
  failures: number;
}

export function summarizeMemory(raw: MemoryRaw, requests: number, concurrency: number, warmupRequests: number): MemorySummary {
  return {
    requests,
    concurrency,
    warmupRequests,
    rssAtStartMiB: round(raw.rssAtStartBytes / MIB, 1),
    requestsPerSecond: round(requests / raw.seconds, 0),
    rssBeforeMiB: round(raw.rssBeforeBytes / MIB, 1),
    rssAfterMiB: round(raw.rssAfterBytes / MIB, 1),
    growthMiB: round((raw.rssAfterBytes - raw.rssBeforeBytes) / MIB, 1),
    heapBeforeMiB: round(raw.heapBeforeBytes / MIB, 1),
    heapAfterMiB: round(raw.heapAfterBytes / MIB, 1),
    peakRssMiB: round(raw.peakRssBytes / MIB, 1),
    failures: raw.failures,
  };
}
