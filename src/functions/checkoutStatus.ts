import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

/** GET /api/checkout/{requestId}. Registration only: the handler loads on the first request. */
export async function checkoutStatus(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return (await import('../handlers/checkoutStatus')).checkoutStatus(request, context);
}

app.http('checkoutStatus', {
  methods: ['GET'],
  authLevel: 'function',
  route: 'checkout/{requestId}',
  handler: checkoutStatus,
});
