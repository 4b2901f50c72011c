import { HttpRequest } from '@azure/functions';
import SwaggerParser from '@apidevtools/swagger-parser';
import type { OpenAPIV2 } from 'openapi-types';
import { describe, expect, it } from 'vitest';
import { ACTIONS } from '../../src/checkout/actions';
import { checkoutRequestSchema } from '../../src/checkout/request';
import { effectiveTemplate, ROUTE_VARIANTS } from '../../src/checkout/routes';
import { openApiDocument } from '../../src/app/openApiDocument';
import { openApi } from '../../src/functions/openApi';

const doc = openApiDocument(new URL('https://func-checkout.azurewebsites.net/api/openapi.json'));
const definitions = doc.definitions as Record<string, { properties?: Record<string, Record<string, unknown>>; required?: string[] } & Record<string, unknown>>;

describe('OpenAPI document (GET /api/openapi.json)', () => {
  it('is valid Swagger 2.0', async () => {
    // validate() mutates what it is given (dereferences); give it a copy.
    const api = (await SwaggerParser.validate(structuredClone(doc) as unknown as OpenAPIV2.Document)) as OpenAPIV2.Document;
    expect(api.swagger).toBe('2.0');
  });

  it('is shaped for a Logic Apps custom connector: host, basePath, https, one apiKey scheme, operationIds and summaries', () => {
    expect(doc).toMatchObject({ host: 'func-checkout.azurewebsites.net', basePath: '/api', schemes: ['https'] });
    expect(Object.values(doc.securityDefinitions)).toEqual([expect.objectContaining({ type: 'apiKey', in: 'header', name: 'x-functions-key' })]);
    const operations = Object.values(doc.paths).flatMap((path) => Object.values(path));
    expect(operations.length).toBeGreaterThanOrEqual(2);
    for (const operation of operations) {
      expect(operation['operationId']).toMatch(/^[A-Za-z]+$/);
      expect(operation['summary']).toEqual(expect.any(String));
      expect(String(operation['summary']).length).toBeLessThanOrEqual(80);
    }
    expect(JSON.stringify(doc)).not.toMatch(/anyOf|oneOf|"const"|propertyNames/);
  });

  it('serves http for a local host, so func start can be imported too', () => {
    expect(openApiDocument(new URL('http://localhost:7071/api/openapi.json'))).toMatchObject({ host: 'localhost:7071', schemes: ['http'] });
  });

  it('describes every request field, with a label for the connector designer', () => {
    const request = definitions['CheckoutRequest']!;
    expect(Object.keys(request.properties!).sort()).toEqual(Object.keys(checkoutRequestSchema.shape).sort());
    for (const property of Object.values(request.properties!)) {
      expect(property['x-ms-summary']).toEqual(expect.any(String));
      expect(property['description']).toEqual(expect.any(String));
    }
    expect(request['additionalProperties']).toBe(false);
    expect(request.properties!['action']!['enum']).toEqual([...ACTIONS]);
    expect(request.properties!['target']!['type']).toBe('string');
  });

  it('describes every route variant and each parameter of it', () => {
    const target = definitions['TargetObject']!;
    expect(target.properties!['variant']!['enum']).toEqual(ROUTE_VARIANTS.map((row) => row.name));
    const variants = target['x-variants'] as Record<string, { graphPath: string; parameters: string[]; required: string[]; needsUserId: boolean }>;
    for (const row of ROUTE_VARIANTS) {
      expect(variants[row.name]).toMatchObject({ graphPath: effectiveTemplate(row), needsUserId: row.delegated });
      for (const name of Object.keys(row.params)) {
        expect(variants[row.name]!.parameters).toContain(name);
        expect(target.properties![name]).toMatchObject({ type: 'string' });
      }
    }
    expect(variants['shareItem']!.parameters.sort()).toEqual(['shareId', 'shareUrl']);
    expect(variants['driveItem']!.required.sort()).toEqual(['driveId', 'itemId']);
  });

  it('documents the answers: accepted, batch, result and problem', () => {
    const post = doc.paths['/checkout']!['post']!;
    const responses = post['responses'] as Record<string, { schema?: { $ref?: string } }>;
    expect(responses['202']!.schema!.$ref).toBe('#/definitions/AcceptedAnswer');
    expect(responses['200']!.schema!.$ref).toBe('#/definitions/CheckoutResult');
    expect(responses['400']!.schema!.$ref).toBe('#/definitions/Problem');
    expect(Object.keys(definitions['BatchAnswer']!.properties!)).toEqual(['accepted', 'rejected', 'items']);
    expect(definitions['CheckoutResult']!.required).toEqual(
      expect.arrayContaining(['requestId', 'action', 'status', 'attempts', 'source', 'receivedAt', 'completedAt', 'durationMs']),
    );
  });

  it('is served anonymously by the openApi function as JSON', async () => {
    const request = new HttpRequest({ method: 'GET', url: 'https://func-checkout.azurewebsites.net/api/openapi.json' });
    const response = await openApi(request);
    expect(response.status).toBe(200);
    expect(JSON.parse(String(response.body))).toEqual(doc);
  });
});
