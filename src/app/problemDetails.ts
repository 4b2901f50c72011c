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
