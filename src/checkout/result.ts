import type { Action } from './actions';
import type { CheckoutHolder, GraphFailure } from './graphPort';
import type { RejectionCode } from './interpret';
import type { Problem } from './problems';
import type { CheckoutRequest } from './request';

export type ErrorCode =
  | RejectionCode
  | 'notFound'
  | 'accessDenied'
  | 'locked'
  | 'notCheckedOut'
  | 'notSupported'
  | 'throttled'
  | 'graphUnavailable'
  | 'tokenUnavailable'
  | 'timeout'
  | 'graphError'
  | 'internalError';

export interface ResultError {
  code: ErrorCode;
  message: string;
  /** Whether sending the same request again later can succeed without changing it. */
  retryable: boolean;
  graphCode?: string;
  graphRequestId?: string;
  /** For throttling: how long Graph asked callers to wait. */
  retryAfterSeconds?: number;
  /** For a checkout refused because someone else holds the file: who, where Graph says. */
  checkedOutBy?: CheckoutHolder;
  /** For rejections: every problem found, located by JSON Pointer into the request. */
  problems?: Problem[];
}

/** The one message written to the results queue for every request. */
export interface ResultMessage {
  requestId: string;
  correlationId?: string;
  action: Action;
  status: 'succeeded' | 'failed' | 'rejected';
  variant?: string;
  graphPath?: string;
  httpStatus?: number;
  error?: ResultError;
  attempts: number;
  source: 'http' | 'queue';
  receivedAt: string;
  completedAt: string;
  durationMs: number;
  context?: CheckoutRequest['context'];
}

const SHAREPOINT_UNKNOWN_ERROR = '-1, Microsoft.SharePoint.Client.UnknownError';

/**
 * Graph's failure → the stable code downstream workflows switch on. Graph's own code and
 * request id are kept alongside for support cases.
 */
export function classifyGraphFailure(failure: GraphFailure, action: Action): ResultError {
  switch (failure.kind) {
    case 'token':
      return {
        code: 'tokenUnavailable',
        message: `Could not get a Microsoft Graph token from the managed identity: ${failure.message}`,
        retryable: true,
      };
    case 'timeout':
      return { code: 'timeout', message: `Microsoft Graph did not answer in time: ${failure.message}`, retryable: true };
    case 'network':
      return { code: 'graphUnavailable', message: `Could not reach Microsoft Graph: ${failure.message}`, retryable: true };
    case 'http':
      return withGraphDetails(classifyHttp(failure, action), failure);
  }
}

function withGraphDetails(error: ResultError, failure: Extract<GraphFailure, { kind: 'http' }>): ResultError {
  if (failure.graphCode !== undefined) error.graphCode = failure.graphCode;
  if (failure.graphRequestId !== undefined) error.graphRequestId = failure.graphRequestId;
  if (failure.retryAfterMs !== undefined && error.retryable) error.retryAfterSeconds = Math.ceil(failure.retryAfterMs / 1000);
  return error;
}

function classifyHttp(failure: Extract<GraphFailure, { kind: 'http' }>, action: Action): ResultError {
  const { status, message } = failure;
  const code = failure.graphCode ?? '';
  const said = message ? ` Graph said: ${message}` : '';
  if (status === 429) return { code: 'throttled', message: `Microsoft Graph is throttling this app.${said}`, retryable: true };
  if (status === 503 || status === 502) {
    return { code: 'graphUnavailable', message: `Microsoft Graph is unavailable (${status}).${said}`, retryable: true };
  }
  if (status === 504) return { code: 'timeout', message: `Microsoft Graph timed out (504).${said}`, retryable: true };
  if (status === 404) return { code: 'notFound', message: `The item was not found, or the app cannot see it.${said}`, retryable: false };
  if (status === 401 || status === 403) {
    return {
      code: 'accessDenied',
      message: `The app's identity may not ${action} this item: grant it Files.ReadWrite.All or Sites.ReadWrite.All (application).${said}`,
      retryable: false,
    };
  }
  if (status === 423 || status === 409) {
    return { code: 'locked', message: `The item is locked or checked out by someone else.${said}`, retryable: false };
  }
  if (status === 500 && code === SHAREPOINT_UNKNOWN_ERROR && action === 'checkout') {
    return {
      code: 'locked',
      message: `SharePoint refused the checkout with an unknown error, which in practice means someone else has the file checked out.${said}`,
      retryable: false,
    };
  }
  if (status === 400) {
    if (/only valid with delegated authentication/i.test(message)) {
      return {
        code: 'delegatedRouteNeedsUser',
        message: `Graph refused a signed-in-user route for the app-only identity; add "userId" or target a drive.${said}`,
        retryable: false,
      };
    }
    if (/api not found/i.test(message)) {
      return {
        code: 'notSupported',
        message: `This drive does not support ${action} (personal OneDrive has no checkout; use a SharePoint or OneDrive for Business drive).${said}`,
        retryable: false,
      };
    }
    if (action !== 'checkout') {
      return { code: 'notCheckedOut', message: `The item is not checked out, so there is nothing to ${action}.${said}`, retryable: false };
    }
    return { code: 'invalidRequest', message: `Microsoft Graph rejected the request (400).${said}`, retryable: false };
  }
  if (status >= 500) {
    return { code: 'graphUnavailable', message: `Microsoft Graph failed (${status}).${said}`, retryable: true };
  }
  return { code: 'graphError', message: `Microsoft Graph answered ${status}.${said}`, retryable: false };
}

/** The HTTP status a synchronous caller gets for a result, so a workflow step fails visibly. */
export function httpStatusForResult(result: ResultMessage): number {
  if (result.status === 'succeeded') return 200;
  switch (result.error?.code) {
    case undefined:
    case 'invalidRequest':
    case 'unknownRoute':
    case 'delegatedRouteNeedsUser':
    case 'notSupported':
      return 400;
    case 'accessDenied':
      return 403;
    case 'notFound':
      return 404;
    case 'locked':
    case 'notCheckedOut':
      return 409;
    case 'graphError':
      return 502;
    case 'throttled':
    case 'graphUnavailable':
    case 'tokenUnavailable':
      return 503;
    case 'timeout':
      return 504;
    case 'internalError':
      return 500;
  }
}
