/*
 * Phase process: RSS after a warm-up and after many more requests through the app, each read
 * after a forced full collection, so growth means memory the app keeps, not garbage not yet
 * collected.
 */
import { performance } from 'node:perf_hooks';
import { collectGarbage } from '../lib/gc';
import { phaseMain } from '../lib/phaseProcess';
import { runPool } from '../lib/pool';
import { runThroughApp } from '../workload/appPath';
import { requestMessage } from '../workload/items';
import type { MemoryOptions, MemoryRaw } from './types';

async function memory(options: MemoryOptions): Promise<MemoryRaw> {
  let failures = 0;
  let done = 0;
  let peakRssBytes = 0;
  const trace: Array<[number, number]> = [];
  const one = async (index: number): Promise<void> => {
    const { result } = await runThroughApp(requestMessage(options.items, index, `memory-${index}`));
    if (result.status !== 'succeeded') failures++;
    done++;
    if (done % options.traceEvery === 0) {
      const rss = process.memoryUsage.rss();
      peakRssBytes = Math.max(peakRssBytes, rss);
      trace.push([done, rss]);
    }
  };

  await collectGarbage();
  const atStart = process.memoryUsage();
  // One-time costs are not growth: the identity library's first token, sockets, compiled
  // code, and V8 sizing its young generation to the allocation rate (a bare client does too).
  await runPool(options.warmupRequests, options.concurrency, (i) => one(i));
  failures = 0;
  done = 0;
  await collectGarbage();
  const before = process.memoryUsage();
  const startedAt = performance.now();
  await runPool(options.requests, options.concurrency, (i) => one(options.warmupRequests + i));
  const seconds = (performance.now() - startedAt) / 1000;
  await collectGarbage();
  const after = process.memoryUsage();
  return {
    rssAtStartBytes: atStart.rss,
    rssBeforeBytes: before.rss,
    rssAfterBytes: after.rss,
    heapBeforeBytes: before.heapUsed,
    heapAfterBytes: after.heapUsed,
    peakRssBytes: Math.max(peakRssBytes, after.rss),
    failures,
    seconds,
    trace,
  };
}

phaseMain(memory);
