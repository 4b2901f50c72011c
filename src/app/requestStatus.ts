import type { HttpResponseInit } from '@azure/functions';
import type { StoredRecord } from '../checkout/ledger';
import { problem, problemResponse } from './problemDetails';
import { resultResponse } from './resultResponse';

/** How soon a poller should ask again about a request that is queued or running. */
export const POLL_AFTER_SECONDS = 5;

/**
 * The answer to "what happened to request X", shaped for Logic Apps' asynchronous pattern:
 * 202 with Location and Retry-After while pending, then the result itself — a failed one with
 * a non-2xx status, so the workflow step fails where people will look.
 */
export function requestStatusResponse(requestId: string, stored: StoredRecord | undefined, selfUrl: string, now: number): HttpResponseInit {
  if (!stored || stored.record.expiresAt <= now) {
    return problemResponse({
      ...problem(404, 'notFound', 'Unknown request', `No request ${requestId} was accepted in the retention window (CHECKOUT_IDEMPOTENCY_TTL_HOURS).`),
      requestId,
    });
  }
  const { record } = stored;
  if (record.state === 'completed' && record.result) return resultResponse(record.result);
  const waitSeconds =
    record.state === 'waiting' && record.notBefore !== undefined ? Math.max(1, Math.ceil((record.notBefore - now) / 1000)) : POLL_AFTER_SECONDS;
  return {
    status: 202,
    headers: { 'content-type': 'application/json; charset=utf-8', location: selfUrl, 'retry-after': String(waitSeconds) },
    jsonBody: { requestId, status: record.state, attempts: record.attempts, deliveries: record.deliveries },
  };
}

/** The absolute URL of a request's status, on the host the caller used. */
export function statusUrl(requestUrl: string, requestId: string): string {
  const url = new URL(requestUrl);
  const base = url.pathname.replace(/\/checkout\/?(?:[^/]*)?$/, '');
  return `${url.origin}${base}/checkout/${encodeURIComponent(requestId)}`;
}
