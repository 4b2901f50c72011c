import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { describeError, problem, problemResponse, serviceUnavailableResponse } from '../app/problemDetails';
import { requestStatusResponse, statusUrl } from '../app/requestStatus';
import { getRuntime } from '../app/runtime';
import { REQUEST_ID_PATTERN } from '../checkout/request';

/** GET /api/checkout/{requestId}: where a request is, or its result once it has one. */
export async function checkoutStatus(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const requestId = request.params['requestId'] ?? '';
  if (!REQUEST_ID_PATTERN.test(requestId)) {
    return problemResponse(problem(400, 'invalidRequest', 'Invalid requestId', 'requestId must be 1-128 letters, digits, ".", "_", ":" or "-".'));
  }
  try {
    const { deps } = await getRuntime();
    const now = deps.now().getTime();
    return requestStatusResponse(requestId, await deps.ledger.get(requestId), statusUrl(request.url, requestId), now);
  } catch (error) {
    context.error(`status of ${requestId} unavailable: ${describeError(error)}`);
    return serviceUnavailableResponse();
  }
}
