import { z } from 'zod';
import { ACTIONS } from '../checkout/actions';
import type { RejectionCode } from '../checkout/interpret';
import type { ErrorCode, ResultError, ResultMessage } from '../checkout/result';
import { VARIANT_NAMES } from '../checkout/routes';
import type { BatchAnswer, BatchItemAnswer } from './batchRequests';

/**
 * zod schemas of what the app answers and writes, used only to document it (OpenAPI, the
 * Logic Apps Parse JSON schema). The type checks at the bottom keep them equal to the types
 * the code really produces, so the documents cannot drift from the messages.
 */

const REJECTION_CODES = ['invalidRequest', 'unknownRoute', 'delegatedRouteNeedsUser'] as const satisfies readonly RejectionCode[];
const ERROR_CODES = [
  ...REJECTION_CODES,
  'notFound',
  'accessDenied',
  'locked',
  'notCheckedOut',
  'notSupported',
  'throttled',
  'graphUnavailable',
  'tokenUnavailable',
  'timeout',
  'graphError',
  'internalError',
] as const satisfies readonly ErrorCode[];

const timestamp = z.string().meta({ format: 'date-time' });
const count = z.int().min(0);

export const problemEntrySchema = z.object({
  pointer: z.string().meta({ description: 'JSON Pointer (RFC 6901) to the field in the request body' }),
  detail: z.string(),
});

const contextSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

export const resultErrorSchema = z.object({
  code: z.enum(ERROR_CODES).meta({ description: 'Stable code to switch on; see the README error catalogue' }),
  message: z.string(),
  retryable: z.boolean().meta({ description: 'Whether sending the same request again later can succeed' }),
  graphCode: z.string().optional(),
  graphRequestId: z.string().optional(),
  retryAfterSeconds: count.optional(),
  checkedOutBy: z
    .object({ lookupId: z.string(), displayName: z.string().optional(), email: z.string().optional() })
    .optional()
    .meta({ description: 'locked: who holds the checkout, where Graph says' }),
  problems: z.array(problemEntrySchema).optional(),
});

export const resultMessageSchema = z
  .object({
    requestId: z.string(),
    correlationId: z.string().optional(),
    action: z.enum(ACTIONS),
    status: z.enum(['succeeded', 'failed', 'rejected']),
    variant: z.string().optional().meta({ description: `The route variant used: ${VARIANT_NAMES.join(', ')}` }),
    graphPath: z.string().optional(),
    httpStatus: z.int().optional().meta({ description: "Graph's HTTP status (204 on success)" }),
    error: resultErrorSchema.optional(),
    attempts: count.meta({ description: 'Graph calls made for this request' }),
    source: z.enum(['http', 'queue']),
    receivedAt: timestamp,
    completedAt: timestamp,
    durationMs: count,
    context: contextSchema.optional(),
  })
  .meta({ description: 'The one result message written to the results queue for every request' });

export const acceptedAnswerSchema = z.object({
  requestId: z.string(),
  status: z.literal('accepted'),
});

const batchItemSchema = z.object({
  index: count,
  requestId: z.string(),
  status: z.enum(['accepted', 'rejected']),
  code: z.enum(REJECTION_CODES).optional(),
  problems: z.array(problemEntrySchema).optional(),
});

export const batchAnswerSchema = z.object({
  accepted: count,
  rejected: count,
  items: z.array(batchItemSchema),
});

export const problemDocumentSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    detail: z.string(),
    code: z.string(),
    requestId: z.string().optional(),
    errors: z.array(problemEntrySchema).optional(),
    retryable: z.boolean().optional(),
    result: resultMessageSchema.optional().meta({ description: 'sync mode: the result, also written to the results queue' }),
  })
  .meta({ description: 'RFC 9457 problem details (application/problem+json)' });

type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type KeysOf<T> = T extends unknown ? keyof T : never;
/** Every value the code can produce fits the documented schema, and the schema names every field. */
type Documents<Schema, Actual> = [Actual] extends [Schema] ? ([KeysOf<Actual>] extends [keyof Schema] ? ([keyof Schema] extends [KeysOf<Actual>] ? true : false) : false) : false;
type Assert<T extends true> = T;

export type SchemasMatchTypes = [
  Assert<Equals<(typeof ERROR_CODES)[number], ErrorCode>>,
  Assert<Equals<(typeof REJECTION_CODES)[number], RejectionCode>>,
  Assert<Documents<z.infer<typeof resultErrorSchema>, ResultError>>,
  Assert<Documents<z.infer<typeof resultMessageSchema>, ResultMessage>>,
  Assert<Documents<z.infer<typeof batchItemSchema>, BatchItemAnswer>>,
  Assert<Documents<z.infer<typeof batchAnswerSchema>, BatchAnswer>>,
];
