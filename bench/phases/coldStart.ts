import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { median } from '../lib/stats';
import type { ColdStartProbeResult } from './types';

export interface LoadSet {
  name: string;
  modules: string[];
  env?: Record<string, string>;
}

export interface LoadFigures {
  name: string;
  modules: string[];
  runs: number;
  /** Medians. */
  loadMs: number;
  loadCpuMs: number;
  /** RSS added by loading: after minus before, in the same process. */
  rssAddedBytes: number;
  rssAfterBytes: number;
}

export interface ColdStartRaw {
  app: LoadFigures;
  /** The runtime dependencies the entry points load at start-up, loaded without the app. */
  dependencies: LoadFigures;
  /** Runtime dependencies (package.json) the entry points leave for the first request that needs them. */
  deferred: string[];
  /** Each runtime dependency alone, to show what start-up pays, or avoids, for each. */
  perDependency: Array<LoadFigures & { atStartup: boolean }>;
  bareNode: LoadFigures;
}

const PROBE = join(__dirname, 'coldStartProbe.js');

interface PackageJson {
  main: string;
  dependencies?: Record<string, string>;
}

/** What the host loads: the file package.json's `main` names (the bundled registrations). */
function entryPoints(repoRoot: string, pkg: PackageJson): LoadSet {
  return { name: 'function entry points', modules: [resolve(repoRoot, pkg.main)] };
}

function probe(set: LoadSet, repoRoot: string, env: Record<string, string> = {}): ColdStartProbeResult {
  // As dist.test.ts does: no settings at all, so the app starts on its defaults.
  const run = spawnSync(process.execPath, [PROBE, ...set.modules], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '', ...set.env, ...env },
  });
  const line = run.stdout.split('\n').find((text) => text.startsWith('BENCH_PROBE '));
  if (run.status !== 0 || !line) throw new Error(`loading ${set.name} failed (${run.status}): ${run.stderr.slice(0, 500)}`);
  return JSON.parse(line.slice('BENCH_PROBE '.length)) as ColdStartProbeResult;
}

function figures(set: LoadSet, results: ColdStartProbeResult[]): LoadFigures {
  return {
    name: set.name,
    modules: set.modules,
    runs: results.length,
    loadMs: median(results.map((r) => r.loadMs)),
    loadCpuMs: median(results.map((r) => r.loadCpuMs)),
    rssAddedBytes: median(results.map((r) => r.rssAfterBytes - r.rssBeforeBytes)),
    rssAfterBytes: median(results.map((r) => r.rssAfterBytes)),
  };
}

/**
 * The entry points against the dependencies they load at start-up, alternating run after run
 * so a disk cache warming up or a neighbour's load lands on both. "Their dependencies" are
 * found, not listed: what the entry points pull in, so a dependency loaded lazily is neither
 * billed to the baseline nor hidden in it.
 */
export function measureColdStart(repoRoot: string, runs: number): ColdStartRaw {
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as PackageJson;
  const runtimeDeps = Object.keys(pkg.dependencies ?? {}).sort();
  const app = entryPoints(repoRoot, pkg);
  // Unmeasured: tells which dependencies load at start-up, and warms the disk cache.
  const first = probe(app, repoRoot, { BENCH_RECORD_REGISTRATIONS: '1' });
  const loaded = new Set(first.packages);
  const atStartup = runtimeDeps.filter((dep) => loaded.has(dep));
  // The baseline registers the same functions with empty handlers: registering is the
  // framework's work, which any app with these functions pays.
  const deps: LoadSet = {
    name: 'runtime dependencies alone, registering the same functions',
    modules: atStartup,
    env: { BENCH_REPLAY_REGISTRATIONS: JSON.stringify(first.registrations ?? []) },
  };
  const bare: LoadSet = { name: 'bare node', modules: [] };
  probe(deps, repoRoot);

  const appRuns: ColdStartProbeResult[] = [];
  const depRuns: ColdStartProbeResult[] = [];
  const bareRuns: ColdStartProbeResult[] = [];
  const pairs: Array<[LoadSet, ColdStartProbeResult[]]> = [
    [app, appRuns],
    [deps, depRuns],
  ];
  for (let run = 0; run < runs; run++) {
    for (const [set, results] of run % 2 === 0 ? pairs : [...pairs].reverse()) results.push(probe(set, repoRoot));
    bareRuns.push(probe(bare, repoRoot));
  }
  const eachRuns = Math.max(1, Math.ceil(runs / 2));
  return {
    app: figures(app, appRuns),
    dependencies: figures(deps, depRuns),
    deferred: runtimeDeps.filter((dep) => !loaded.has(dep)),
    perDependency: runtimeDeps.map((dep) => {
      const set = { name: dep, modules: [dep] };
      return { ...figures(set, Array.from({ length: eachRuns }, () => probe(set, repoRoot))), atStartup: loaded.has(dep) };
    }),
    bareNode: figures(bare, bareRuns),
  };
}
