/*
 * Phase process: more demand than Graph's limit, for a fixed time, through the app or through
 * a bare client that only honours Retry-After. Every request names its own item, so the
 * emulator's early-retry count can only mean a call that came back before the Retry-After it
 * was given had run out.
 */
import { performance } from 'node:perf_hooks';
import { phaseMain } from '../lib/phaseProcess';
import { runThroughApp } from '../workload/appPath';
import { fetchCheckoutHonouringRetryAfter, fetchManagedIdentityToken } from '../workload/baseline';
import { checkoutUrl, requestMessage } from '../workload/items';
import type { ThrottlingOptions, ThrottlingRaw } from './types';

interface Completion {
  ok: boolean;
  code: string;
  attempts: number;
}

/** The app's client gives up after this many retries (createGraphClient's default); so does the bare one. */
const MAX_RETRIES = 6;

async function client(options: ThrottlingOptions): Promise<(index: number) => Promise<Completion>> {
  if (options.client === 'app') {
    return async (index) => {
      const { result } = await runThroughApp(requestMessage(options.items, index, `throttle-${index}`));
      return { ok: result.status === 'succeeded', code: result.error?.code ?? result.status, attempts: result.attempts };
    };
  }
  const token = await fetchManagedIdentityToken(options.graphUrl);
  return async (index) => {
    const { status, attempts } = await fetchCheckoutHonouringRetryAfter(checkoutUrl(options.graphUrl, options.items, index), token, MAX_RETRIES);
    return { ok: status === 204, code: status === 429 ? 'throttled' : `http${status}`, attempts };
  };
}

async function throttling(options: ThrottlingOptions): Promise<ThrottlingRaw> {
  const send = await client(options);
  const startedAt = performance.now();
  // The limiter's first window admits a burst from a standing start; count from the steady state.
  const measureFrom = startedAt + options.warmupSeconds * 1000;
  const stopAt = measureFrom + options.seconds * 1000;
  const raw: ThrottlingRaw = { measuredSeconds: options.seconds, succeeded: 0, successAtMs: [], failedByCode: {}, attemptsOfCompleted: 0, completed: 0 };
  let next = 0;

  const worker = async (slot: number): Promise<void> => {
    await new Promise((resolve) => setTimeout(resolve, (slot * options.rampMs) / options.concurrency));
    while (performance.now() < stopAt) {
      const index = next++;
      if (index >= options.items.count) throw new Error('ran out of distinct items; raise the item count');
      const completion = await send(index);
      const doneAt = performance.now();
      if (doneAt < measureFrom || doneAt > stopAt) continue;
      raw.completed++;
      raw.attemptsOfCompleted += completion.attempts;
      if (completion.ok) {
        raw.succeeded++;
        raw.successAtMs.push(Math.round(doneAt - measureFrom));
      } else raw.failedByCode[completion.code] = (raw.failedByCode[completion.code] ?? 0) + 1;
    }
  };
  const workers = Array.from({ length: options.concurrency }, (_, slot) => worker(slot));
  // Requests still waiting out a Retry-After at the deadline are left behind, not awaited.
  await Promise.race([Promise.all(workers), new Promise((resolve) => setTimeout(resolve, stopAt - performance.now() + 50))]);
  return raw;
}

phaseMain(throttling);
