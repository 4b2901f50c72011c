import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';

/**
 * GET /api/openapi.json. Anonymous, because connector importers fetch it without a key and it
 * holds nothing the README does not. Registration only: the handler loads on the first request.
 */
export async function openApi(request: HttpRequest): Promise<HttpResponseInit> {
  return (await import('../handlers/openApi')).openApi(request);
}

app.http('openApi', {
  methods: ['GET'],
  authLevel: 'anonymous',
  route: 'openapi.json',
  handler: openApi,
});
