import type { HttpResponseInit } from '@azure/functions';
import type { Problem } from '../checkout/problems';

/** RFC 9457 problem details, with `errors` locating each problem by JSON Pointer. */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  requestId?: string;
  errors?: Array<{ pointer: string; detail: string }>;
  [extension: string]: unknown;
}

export const PROBLEM_TYPE_BASE = 'urn:graph-checkout:problem:';

export function problemResponse(document: ProblemDocument, headers: Record<string, string> = {}): HttpResponseInit {
  return {
    status: document.status,
    headers: { 'content-type': 'application/problem+json; charset=utf-8', ...headers },
    body: JSON.stringify(document),
  };
}

export function problem(status: number, code: string, title: string, detail: string, errors?: Problem[]): ProblemDocument {
  return { type: PROBLEM_TYPE_BASE + code, title, status, detail, code, ...(errors && { errors }) };
}

/** When the app's own storage (the ledger) cannot be reached: retryable, and not the caller's fault. */
export function serviceUnavailableResponse(): HttpResponseInit {
  return problemResponse(
    problem(503, 'serviceUnavailable', 'Service unavailable', 'The app could not reach its storage to record the request. Retry later with the same requestId: a request recorded before the failure is not run twice.'),
    { 'retry-after': '30' },
  );
}

/** One line for a log: the error's name and the first line of its message, nothing more. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return 'unknown error';
  return `${error.name}: ${(error.message.split('\n')[0] ?? '').slice(0, 300)}`;
}
