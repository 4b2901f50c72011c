import { isRestError, type PipelineRequest, type PipelineResponse, type RetryStrategy } from '@azure/core-rest-pipeline';
import { parseRetryAfter } from './retryAfter';

/** Statuses Graph uses for "not now": throttling and passing unavailability. */
const TRANSIENT_STATUSES = new Set([429, 502, 503, 504]);
/** Socket-level failures worth another try; DNS and TLS misconfiguration are not. */
const TRANSIENT_ERROR_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'GRAPH_TIMEOUT']);

export interface GraphRetryOptions {
  /** Total time one invocation may spend waiting between attempts. */
  budgetMs: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** When the call began, for the budget; keyed by the pipeline request object. */
  startedAt: (request: PipelineRequest) => number | undefined;
  now?: () => number;
  random?: () => number;
}

/**
 * One strategy for the SDK's retry policy: wait exactly what Retry-After says (never less),
 * otherwise back off exponentially with jitter; and give up, returning Graph's answer, as
 * soon as the next wait would overrun the in-call budget, so a long throttle is handed back
 * to the queue rather than held asleep in the invocation.
 */
export function graphRetryStrategy(options: GraphRetryOptions): RetryStrategy {
  const retriedUnknownError = new WeakSet<PipelineRequest>();
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const base = options.baseDelayMs ?? 400;
  const max = options.maxDelayMs ?? 8000;
  return {
    name: 'graphRetryStrategy',
    retry({ retryCount, response, responseError }) {
      const request = response?.request ?? responseError?.request;
      let wait: number;
      if (response && TRANSIENT_STATUSES.has(response.status)) {
        const retryAfter = parseRetryAfter(response.headers.get('retry-after'), now());
        wait = retryAfter ?? backoff(retryCount, base, max, random);
      } else if (response && request && isSharePointUnknownErrorOnCheckout(response) && !retriedUnknownError.has(request)) {
        // Usually someone else holds the file, occasionally a hiccup: one more try tells them apart.
        retriedUnknownError.add(request);
        wait = backoff(retryCount, base, max, random);
      } else if (responseError && isRestError(responseError) && TRANSIENT_ERROR_CODES.has(responseError.code ?? '')) {
        wait = backoff(retryCount, base, max, random);
      } else {
        return { skipStrategy: true };
      }
      const started = request ? options.startedAt(request) : undefined;
      const remaining = started === undefined ? 0 : options.budgetMs - (now() - started);
      if (wait > remaining) return { skipStrategy: true };
      return { retryAfterInMs: wait };
    },
  };
}

function isSharePointUnknownErrorOnCheckout(response: PipelineResponse): boolean {
  return (
    response.status === 500 &&
    response.request.method === 'POST' &&
    /\/checkout$/i.test(new URL(response.request.url).pathname) &&
    (response.bodyAsText ?? '').includes('Microsoft.SharePoint.Client.UnknownError')
  );
}

function backoff(retryCount: number, base: number, max: number, random: () => number): number {
  const ceiling = Math.min(max, base * 2 ** retryCount);
  // "Full jitter" halves: never below half the step, so retries stay spread but not instant.
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
