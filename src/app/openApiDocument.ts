import { checkoutRequestSchema, REQUEST_ID_PATTERN, targetVariantSchemas } from '../checkout/request';
import { effectiveTemplate, ROUTE_VARIANTS } from '../checkout/routes';
import { MAX_BODY_BYTES } from './httpBody';
import { acceptedAnswerSchema, batchAnswerSchema, problemDocumentSchema, resultMessageSchema } from './openApiSchemas';
import { swaggerSchemaOf, type SwaggerSchema } from './swaggerSchema';
import { MAX_BATCH_ITEMS } from './webhookEnvelope';

/**
 * The OpenAPI 2.0 (Swagger) document of the HTTP functions, in the dialect Logic Apps and
 * Power Automate custom connectors import: one apiKey scheme, operationIds, summaries and
 * `x-ms-*` hints. Schemas come from the zod schemas the app validates and answers with.
 */
export interface SwaggerDocument {
  swagger: '2.0';
  info: { title: string; version: string; description: string };
  host: string;
  basePath: string;
  schemes: string[];
  consumes: string[];
  produces: string[];
  securityDefinitions: Record<string, SwaggerSchema>;
  security: Array<Record<string, string[]>>;
  paths: Record<string, Record<string, SwaggerSchema>>;
  definitions: Record<string, SwaggerSchema>;
}

/** Version of the HTTP contract, not of the package: it changes only when callers must adapt. */
export const API_VERSION = '1.0.0';

type RequestField = keyof typeof checkoutRequestSchema.shape;
type Visibility = 'important' | 'advanced';

// Typed by the schema's own keys: a new request field does not compile until it is described here.
const FIELD_DOCS: Record<RequestField, { summary: string; description: string; visibility?: Visibility }> = {
  requestId: {
    summary: 'Request id',
    description: 'Your id for this request, echoed in the answer and the result; a UUID is generated when absent. Reuse it when retrying.',
    visibility: 'advanced',
  },
  action: { summary: 'Action', description: 'checkout (default), checkin or discardCheckout.', visibility: 'important' },
  target: {
    summary: 'Target',
    description:
      'The file: a Graph path such as /drives/{driveId}/items/{itemId} (with or without /v1.0, /me/drive for /drive, an action at the end), ' +
      'a full URL on the Graph origin, or an object { "variant": NAME, ...parameters } described by definitions/TargetObject.',
    visibility: 'important',
  },
  shareUrl: { summary: 'Sharing link', description: 'Instead of target: a SharePoint or OneDrive sharing URL (https).', visibility: 'advanced' },
  userId: {
    summary: 'User',
    description: "User id or UPN; required for the signed-in-user (/me, /drive) routes, which then run in that user's OneDrive.",
    visibility: 'advanced',
  },
  comment: { summary: 'Check-in comment', description: 'checkin only: the version comment.', visibility: 'advanced' },
  checkInAs: { summary: 'Check in as', description: 'checkin only: "published" publishes a major version.', visibility: 'advanced' },
  correlationId: { summary: 'Correlation id', description: 'Echoed in the result, e.g. the workflow run id.', visibility: 'advanced' },
  context: { summary: 'Context', description: 'A flat object of strings, numbers and booleans (at most 4 KiB), echoed in the result.', visibility: 'advanced' },
  callbackUrl: {
    summary: 'Callback URL',
    description: "HTTP Webhook action: the result is POSTed here when done. https, on a host in CALLBACK_ALLOWED_HOSTS (default Logic Apps' *.logic.azure.com).",
    visibility: 'advanced',
  },
};

let hostless: Omit<SwaggerDocument, 'host' | 'schemes'> | undefined;

/** Built on first request, not at start-up: converting the schemas costs a few milliseconds. */
export function openApiDocument(requestUrl: URL): SwaggerDocument {
  hostless ??= buildDocument();
  const loopback = requestUrl.hostname === 'localhost' || requestUrl.hostname === '127.0.0.1';
  // Connectors call over https only; locally `func start` serves plain http.
  return { ...hostless, host: requestUrl.host, schemes: loopback ? ['http'] : ['https'] };
}

function buildDocument(): Omit<SwaggerDocument, 'host' | 'schemes'> {
  const problemRef = { $ref: '#/definitions/Problem' };
  const problemResponse = (description: string): SwaggerSchema => ({ description, schema: problemRef });
  return {
    swagger: '2.0',
    info: {
      title: 'Graph checkout',
      version: API_VERSION,
      description:
        'Check files out of, and in to, SharePoint and OneDrive for Business through Microsoft Graph, as the app\'s managed identity. ' +
        'Every request ends in exactly one result message on the results queue.',
    },
    basePath: '/api',
    consumes: ['application/json'],
    produces: ['application/json'],
    securityDefinitions: {
      functionKey: { type: 'apiKey', in: 'header', name: 'x-functions-key', description: 'A function key (or the default host key) of the function app.' },
    },
    security: [{ functionKey: [] }],
    paths: {
      '/checkout': {
        post: {
          operationId: 'SubmitCheckoutRequest',
          summary: 'Check a file out or in',
          description:
            'Validates a checkout request and queues it (202), or with mode=sync runs it now and answers with its result. ' +
            'The body may also be a CloudEvents 1.0 event or an Event Grid event carrying the request in data, or a JSON array of ' +
            `up to ${MAX_BATCH_ITEMS} requests or events (answered with a BatchAnswer, async only). Bodies are limited to ${MAX_BODY_BYTES} bytes.`,
          'x-ms-visibility': 'important',
          consumes: ['application/json', 'application/cloudevents+json', 'application/cloudevents-batch+json'],
          produces: ['application/json', 'application/problem+json'],
          parameters: [
            {
              name: 'mode',
              in: 'query',
              required: false,
              type: 'string',
              enum: ['async', 'sync'],
              default: 'async',
              description: 'async (default): queue the request and answer 202. sync: run it now and answer with its result.',
              'x-ms-summary': 'Mode',
              'x-ms-visibility': 'advanced',
            },
            { name: 'body', in: 'body', required: true, schema: { $ref: '#/definitions/CheckoutRequest' } },
          ],
          responses: {
            '200': { description: 'sync: the request succeeded; the result (also written to the results queue).', schema: { $ref: '#/definitions/CheckoutResult' } },
            '202': {
              description:
                'async: the request was valid and is queued; its result will arrive on the results queue, and at Location. A batch is answered with a BatchAnswer.',
              schema: { $ref: '#/definitions/AcceptedAnswer' },
              headers: {
                Location: { type: 'string', description: 'Absolute URL of GET /checkout/{requestId}, to poll for the result' },
                'Retry-After': { type: 'integer', description: 'Seconds to wait before polling' },
              },
            },
            '400': problemResponse('Invalid request (every problem located by JSON Pointer in errors), or sync: rejected / notSupported.'),
            '403': problemResponse('sync: accessDenied, the identity lacks the Graph permission.'),
            '404': problemResponse('sync: notFound.'),
            '409': problemResponse('sync: locked or notCheckedOut; or inProgress (the same requestId is running elsewhere; retry after Retry-After).'),
            '413': problemResponse(`The body is over ${MAX_BODY_BYTES} bytes, or a batch over ${MAX_BATCH_ITEMS} items.`),
            '415': problemResponse('The body is not JSON.'),
            '500': problemResponse('sync: internalError.'),
            '502': problemResponse('sync: graphError.'),
            '503': {
              ...problemResponse('sync: throttled, graphUnavailable or tokenUnavailable; or serviceUnavailable (the app cannot reach its storage). Retry after Retry-After.'),
              headers: { 'Retry-After': { type: 'integer', description: 'Seconds to wait before retrying' } },
            },
            '504': problemResponse('sync: timeout.'),
          },
        },
      },
      '/checkout/{requestId}': {
        get: {
          operationId: 'GetCheckoutStatus',
          summary: 'Status or result of a request',
          description:
            "Logic Apps' asynchronous pattern: 202 with Location and Retry-After while the request is queued, running or waiting out a " +
            'Retry-After; then its result: 200 when it succeeded, otherwise a problem whose status fits the outcome.',
          'x-ms-visibility': 'advanced',
          produces: ['application/json', 'application/problem+json'],
          parameters: [
            { name: 'requestId', in: 'path', required: true, type: 'string', pattern: REQUEST_ID_PATTERN.source, 'x-ms-summary': 'Request id' },
          ],
          responses: {
            '200': { description: 'The request succeeded; its result.', schema: { $ref: '#/definitions/CheckoutResult' } },
            '202': {
              description: 'Not done yet.',
              schema: {
                type: 'object',
                properties: {
                  requestId: { type: 'string' },
                  status: { type: 'string', enum: ['queued', 'running', 'waiting'] },
                  attempts: { type: 'integer', description: 'Graph calls so far' },
                  deliveries: { type: 'integer', description: 'Deliveries so far, counting re-queues' },
                },
              },
              headers: {
                Location: { type: 'string', description: 'This URL' },
                'Retry-After': { type: 'integer', description: 'Seconds to wait before asking again' },
              },
            },
            '400': problemResponse('A malformed requestId, or the request was rejected.'),
            '403': problemResponse('accessDenied.'),
            '404': problemResponse('No such request in the retention window, or notFound.'),
            '409': problemResponse('locked or notCheckedOut.'),
            '502': problemResponse('graphError.'),
            '500': problemResponse('internalError.'),
            '503': problemResponse('throttled, graphUnavailable or tokenUnavailable on the last delivery; or serviceUnavailable (the app cannot reach its storage; retry after Retry-After).'),
            '504': problemResponse('timeout.'),
          },
        },
      },
      '/openapi.json': {
        get: {
          operationId: 'GetOpenApiDocument',
          summary: 'This OpenAPI document',
          description: 'The Swagger 2.0 document of this API, for custom connectors and the HTTP + Swagger action.',
          'x-ms-visibility': 'internal',
          security: [],
          responses: { '200': { description: 'The document', schema: { type: 'object' } } },
        },
      },
    },
    definitions: {
      CheckoutRequest: requestDefinition(),
      TargetObject: targetObjectDefinition(),
      AcceptedAnswer: swaggerSchemaOf(acceptedAnswerSchema),
      BatchAnswer: swaggerSchemaOf(batchAnswerSchema),
      CheckoutResult: swaggerSchemaOf(resultMessageSchema),
      Problem: swaggerSchemaOf(problemDocumentSchema),
    },
  };
}

function requestDefinition(): SwaggerSchema {
  const schema = swaggerSchemaOf(checkoutRequestSchema);
  const properties = schema['properties'] as Record<string, SwaggerSchema>;
  // The request schema leaves target to a second pass (a union would hide which part is
  // wrong); Swagger 2.0 has no unions, so it is documented as the string form it mostly is.
  properties['target'] = { type: 'string' };
  for (const [name, docs] of Object.entries(FIELD_DOCS)) {
    const property = properties[name];
    if (property === undefined) throw new Error(`the request schema has no field "${name}" to document`);
    properties[name] = {
      ...property,
      description: docs.description,
      'x-ms-summary': docs.summary,
      ...(docs.visibility && { 'x-ms-visibility': docs.visibility }),
    };
  }
  return { ...schema, description: 'One checkout request. Unknown fields are refused by name.' };
}

/** The object form of target: every variant's parameters, with which variant takes which. */
function targetObjectDefinition(): SwaggerSchema {
  const properties: Record<string, SwaggerSchema> = {
    variant: { type: 'string', enum: ROUTE_VARIANTS.map((row) => row.name), description: 'The route variant', 'x-ms-summary': 'Variant' },
  };
  const variants: Record<string, SwaggerSchema> = {};
  for (const row of ROUTE_VARIANTS) {
    const schema = swaggerSchemaOf(targetVariantSchemas.get(row.name)!);
    const own = schema['properties'] as Record<string, SwaggerSchema>;
    for (const [name, property] of Object.entries(own)) if (name !== 'variant') properties[name] ??= property;
    variants[row.name] = {
      graphPath: effectiveTemplate(row),
      parameters: Object.keys(own).filter((name) => name !== 'variant'),
      required: ((schema['required'] as string[] | undefined) ?? []).filter((name) => name !== 'variant'),
      needsUserId: row.delegated,
    };
  }
  return {
    type: 'object',
    description: 'target as an object: "variant" names the route; the other fields are that variant\'s parameters (see x-variants).',
    required: ['variant'],
    properties,
    additionalProperties: false,
    'x-variants': variants,
  };
}

