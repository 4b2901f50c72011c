import type { HttpRequest, HttpResponseInit } from '@azure/functions';

/**
 * GET /api/openapi.json: the Swagger 2.0 document a Logic Apps / Power Automate custom
 * connector or the HTTP + Swagger action imports. Anonymous, because those importers fetch it
 * without a key and it holds nothing the README does not: no key, no tenant, no item ids.
 */
export async function openApi(request: HttpRequest): Promise<HttpResponseInit> {
  // Loaded on first use, so the schema conversion costs nothing at start-up.
  const { openApiDocument } = await import('../app/openApiDocument');
  return {
    status: 200,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'public, max-age=300' },
    body: JSON.stringify(openApiDocument(new URL(request.url)), null, 2),
  };
}
