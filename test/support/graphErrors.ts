/** Microsoft Graph's error envelope, as the service sends it for every non-2xx answer. */
export interface GraphErrorBody {
  error: {
    code: string;
    message: string;
    innerError: {
      date: string;
      'request-id': string;
      'client-request-id': string;
    };
  };
}

export interface GraphError {
  status: number;
  code: string;
  message: string;
}

/** Graph writes innerError.date as UTC without fraction or zone designator. */
export function graphDate(now: Date = new Date()): string {
  return now.toISOString().slice(0, 19);
}

export function graphErrorBody(code: string, message: string, requestId: string, clientRequestId: string): GraphErrorBody {
  return {
    error: {
      code,
      message,
      innerError: { date: graphDate(), 'request-id': requestId, 'client-request-id': clientRequestId },
    },
  };
}

/** Codes Graph uses when an injected fault names only a status. */
export function defaultErrorFor(status: number): { code: string; message: string } {
  switch (status) {
    case 400:
      return { code: 'BadRequest', message: 'Bad request' };
    case 401:
      return { code: 'InvalidAuthenticationToken', message: 'Access token validation failure.' };
    case 403:
      return { code: 'accessDenied', message: 'Access denied' };
    case 404:
      return { code: 'itemNotFound', message: 'The resource could not be found.' };
    case 409:
      return { code: 'conflict', message: 'Conflict' };
    case 423:
      return { code: 'resourceLocked', message: 'The resource you are attempting to access is locked' };
    case 429:
      return { code: 'TooManyRequests', message: 'Too many requests' };
    case 500:
      return { code: 'generalException', message: 'General exception while processing' };
    case 502:
      return { code: 'BadGateway', message: 'Bad gateway' };
    case 503:
      return { code: 'serviceNotAvailable', message: 'Service unavailable' };
    case 504:
      return { code: 'GatewayTimeout', message: 'Gateway timeout' };
    default:
      return { code: status >= 500 ? 'generalException' : 'invalidRequest', message: `HTTP ${status}` };
  }
}
