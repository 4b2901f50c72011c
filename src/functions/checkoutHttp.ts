import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { requestsQueueOutput, resultsQueueOutput } from '../app/bindings';

/**
 * POST /api/checkout. Registration only: the handler, with zod and the Azure SDK behind it,
 * loads on the first request, so the host indexes the app without paying for them.
 */
export async function checkoutHttp(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return (await import('../handlers/checkoutHttp')).checkoutHttp(request, context);
}

app.http('checkoutHttp', {
  methods: ['POST', 'OPTIONS'],
  authLevel: 'function',
  route: 'checkout',
  extraOutputs: [requestsQueueOutput, resultsQueueOutput],
  handler: checkoutHttp,
});
