import type { HttpResponseInit } from '@azure/functions';
import { httpStatusForResult, type ResultMessage } from '../checkout/result';
import { problem, problemResponse } from './problemDetails';

/** Retry-After to suggest when Graph gave none: long enough for a throttle window to pass. */
const DEFAULT_RETRY_AFTER_SECONDS = 30;

/**
 * A synchronous caller's answer: the result itself when it succeeded, otherwise a problem
 * document (carrying the result) whose status fits the outcome, so a workflow step fails.
 */
export function resultResponse(result: ResultMessage): HttpResponseInit {
  const status = httpStatusForResult(result);
  if (result.status === 'succeeded') {
    return { status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(result) };
  }
  const error = result.error!;
  const headers: Record<string, string> = {};
  if (status === 503) headers['retry-after'] = String(error.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS);
  return problemResponse(
    {
      ...problem(status, error.code, titleFor(result), error.message, error.problems),
      requestId: result.requestId,
      retryable: error.retryable,
      result,
    },
    headers,
  );
}

function titleFor(result: ResultMessage): string {
  return result.status === 'rejected' ? 'Invalid checkout request' : `The ${result.action} failed`;
}
