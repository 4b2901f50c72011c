/*
 * Phase process: the same checkouts through the app and as bare POSTs, in rotating order, at
 * each concurrency. All share this process, its event loop and its CPU meter, so what
 * differs between them is what the app adds.
 */
import { performance } from 'node:perf_hooks';
import { canCollectGarbage, collectGarbage } from '../lib/gc';
import { measure, type Sample } from '../lib/measure';
import { phaseMain } from '../lib/phaseProcess';
import { runPool } from '../lib/pool';
import { answeringGraph } from '../workload/answeringGraph';
import { runThroughApp } from '../workload/appPath';
import { fetchCheckout, fetchManagedIdentityToken, httpCheckout, keepAliveAgent } from '../workload/baseline';
import { checkoutUrl, requestMessage } from '../workload/items';
import { OVERHEAD_MODES, type OverheadLevel, type OverheadMode, type OverheadOptions, type OverheadRaw } from './types';

function requestsFor(concurrency: number, requestsAt16: number): number {
  return Math.max(40, Math.round((requestsAt16 * concurrency) / 16));
}

function rotate<T>(items: readonly T[], by: number): T[] {
  const k = by % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

/** The run path against a Graph that answers at once: one request at a time, no I/O. */
async function ownCode(options: OverheadOptions): Promise<{ requests: number; cpuUs: number }> {
  const once = async (index: number): Promise<void> => {
    const { result } = await runThroughApp(requestMessage(options.items, index, `own-${index}`), answeringGraph);
    if (result.status !== 'succeeded') throw new Error(`the answering Graph should always succeed, got ${result.status}`);
  };
  for (let i = 0; i < options.ownCodeRequests; i++) await once(i);
  if (canCollectGarbage()) await collectGarbage();
  const sample = await measure(async () => {
    for (let i = 0; i < options.ownCodeRequests; i++) await once(i);
  });
  return { requests: options.ownCodeRequests, cpuUs: sample.cpuUs };
}

async function overhead(options: OverheadOptions): Promise<OverheadRaw> {
  const token = await fetchManagedIdentityToken(options.graphUrl);
  // One agent per run: idle between runs, its sockets would meet the server's keep-alive
  // timeout, and a request sent on one just as it closes fails with "socket hang up".
  let agent = keepAliveAgent();
  let viaHttp = httpCheckout(agent);
  const url = (index: number): string => checkoutUrl(options.graphUrl, options.items, index);
  let sequence = 0;
  let failures = 0;

  const one: Record<OverheadMode, (index: number) => Promise<void>> = {
    fetch: async (index) => {
      if ((await fetchCheckout(url(index), token)) !== 204) failures++;
    },
    http: async (index) => {
      if ((await viaHttp(url(index), token)) !== 204) failures++;
    },
    app: async (index) => {
      const { result } = await runThroughApp(requestMessage(options.items, index, `bench-${index}`));
      if (result.status !== 'succeeded') failures++;
    },
  };

  const run = async (mode: OverheadMode, requests: number, concurrency: number): Promise<{ sample: Sample; failures: number }> => {
    // Garbage left by the mode before is collected outside the meter, not billed to this one.
    if (canCollectGarbage()) await collectGarbage();
    if (mode === 'http') {
      agent.destroy();
      agent = keepAliveAgent();
      viaHttp = httpCheckout(agent);
    }
    failures = 0;
    const offset = sequence;
    sequence += requests;
    const sample = await measure(() => runPool(requests, concurrency, (i) => one[mode](offset + i)));
    return { sample, failures };
  };

  const firstStart = performance.now();
  await one.app(sequence++);
  const firstAppRequestMs = performance.now() - firstStart;
  for (const mode of OVERHEAD_MODES) await run(mode, options.warmupRequests, 16);

  const levels: OverheadLevel[] = options.concurrencies.map((concurrency) => ({
    concurrency,
    requests: requestsFor(concurrency, options.requestsAt16),
    rounds: [],
    failures: { fetch: 0, http: 0, app: 0 },
  }));
  for (let round = 0; round < options.rounds; round++) {
    for (const level of levels) {
      const order = rotate(OVERHEAD_MODES, round);
      const samples: Partial<Record<OverheadMode, Sample>> = {};
      for (const mode of order) {
        const outcome = await run(mode, level.requests, level.concurrency);
        samples[mode] = outcome.sample;
        level.failures[mode] += outcome.failures;
      }
      level.rounds.push({ samples: samples as Record<OverheadMode, Sample>, order });
    }
    process.stderr.write(`  overhead: round ${round + 1}/${options.rounds} done\n`);
  }
  return { firstAppRequestMs, levels, ownCode: await ownCode(options) };
}

phaseMain(overhead);
