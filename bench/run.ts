/*
 * `npm run bench`: what the app costs beside the Graph call itself. Every figure is a ratio
 * or a difference against a baseline measured in the same run, so a faster or slower
 * machine moves both sides; the verdicts are a report, and the exit code stays 0.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseFlags, usage, UsageError, type PhaseName } from './cli/flags';
import { startEmulatorHost } from './emulators/hostClient';
import { measureColdStart, type ColdStartRaw } from './phases/coldStart';
import { MEMORY_WARMUP_REQUESTS, memoryPhase, overheadPhase, throttlingPhase } from './phases/launch';
import type { MemoryRaw, OverheadRaw } from './phases/types';
import { describeMachine, machineLine } from './report/machine';
import { summarizeColdStart, summarizeMemory, summarizeOverhead } from './report/summaries';
import { renderMarkdown, renderTable } from './report/table';
import { targetRows, type Summaries } from './report/targets';

/** dist/bench/run.js → the repository root. */
const REPO_ROOT = resolve(__dirname, '..', '..');

function log(text: string): void {
  process.stderr.write(`${text}\n`);
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  if (flags.help) {
    console.log(usage());
    return;
  }
  if (!existsSync(join(REPO_ROOT, 'dist', 'main.js'))) throw new Error('dist/main.js is missing: run `npm run build` first');
  const machine = describeMachine();
  const runs = (phase: PhaseName): boolean => flags.only.includes(phase);
  const startedAt = Date.now();
  log(`bench on ${machineLine(machine)}`);

  const summaries: Summaries = {};
  const raw: { coldStart?: ColdStartRaw; overhead?: OverheadRaw; memory?: MemoryRaw } = {};
  const phaseSeconds: Partial<Record<PhaseName, number>> = {};
  const timed = async <T>(phase: PhaseName, work: () => Promise<T> | T): Promise<T> => {
    const began = Date.now();
    try {
      return await work();
    } finally {
      phaseSeconds[phase] = Math.round((Date.now() - began) / 100) / 10;
    }
  };

  // First, while nothing else runs: start-up time is the figure a busy machine disturbs most.
  if (runs('coldstart')) {
    log(`cold start: ${flags.coldRuns} fresh node processes per set…`);
    raw.coldStart = await timed('coldstart', () => measureColdStart(REPO_ROOT, flags.coldRuns));
    summaries.coldStart = summarizeColdStart(raw.coldStart);
  }
  if (runs('overhead') || runs('throttling') || runs('memory')) {
    const host = await startEmulatorHost();
    try {
      if (runs('overhead')) {
        log(`overhead: ${flags.rounds} rounds at concurrency ${flags.concurrency.join(', ')}, Graph latency ${flags.latencyMs} ms…`);
        raw.overhead = await timed('overhead', () => overheadPhase(host, flags));
        summaries.overhead = summarizeOverhead(raw.overhead);
      }
      if (runs('throttling')) {
        log(`throttling: limit ${flags.rateLimit}/s over ${flags.throttleWindow}-s windows, ${flags.throttleConcurrency} in flight, ${flags.throttleSeconds} s measured, bare fetch then app…`);
        summaries.throttling = await timed('throttling', async () => {
          const baseline = await throttlingPhase(host, flags, 'fetch');
          return { app: await throttlingPhase(host, flags, 'app'), baseline };
        });
      }
      if (runs('memory')) {
        log(`memory: ${flags.requests} requests at concurrency ${flags.memoryConcurrency}…`);
        raw.memory = await timed('memory', () => memoryPhase(host, flags));
        summaries.memory = summarizeMemory(raw.memory, flags.requests, flags.memoryConcurrency, MEMORY_WARMUP_REQUESTS);
      }
    } finally {
      host.close();
    }
  }

  const rows = targetRows(summaries);
  const seconds = Math.round((Date.now() - startedAt) / 100) / 10;
  const file = join(REPO_ROOT, 'bench', 'results.json');
  writeFileSync(file, JSON.stringify({ machine, flags, seconds, phaseSeconds, targets: rows, summaries, raw }, null, 2) + '\n');
  console.log(`\n${machineLine(machine)}\n\n${renderTable(rows)}\n`);
  if (flags.markdown) console.log(`${renderMarkdown(rows)}\n`);
  const missed = rows.filter((row) => row.verdict === 'MISS').length;
  console.log(`${missed === 0 ? 'All targets met' : `${missed} target(s) MISSED`} in ${seconds} s; figures in ${file}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof UsageError ? error.message : error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
