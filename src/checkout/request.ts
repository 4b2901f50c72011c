import { z } from 'zod';
import { ACTIONS } from './actions';
import { PARAMETER_RULES, type ParameterKind } from './parameters';
import { pointerFromPath, type Problem } from './problems';
import { ROUTE_VARIANTS, type RouteVariant } from './routes';

export const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;
export const MAX_CONTEXT_BYTES = 4096;
export const MAX_COMMENT_LENGTH = 1023;

// The description is what the OpenAPI document shows for the parameter.
const parameter = (kind: ParameterKind) =>
  z
    .string()
    .regex(PARAMETER_RULES[kind].pattern, { message: `must be ${PARAMETER_RULES[kind].expected}` })
    .meta({ description: PARAMETER_RULES[kind].expected });

const requestIdSchema = z
  .string()
  .regex(REQUEST_ID_PATTERN, { message: 'must be 1-128 characters of letters, digits, ".", "_", ":" or "-"' });

/** One strict object per route variant, so a misspelt parameter is named, not ignored. */
function targetObjectSchema(row: RouteVariant) {
  const shape: Record<string, z.ZodType> = { variant: z.literal(row.name) };
  for (const [name, kind] of Object.entries(row.params)) shape[name] = parameter(kind);
  if (row.params['shareId'] !== undefined) {
    shape['shareId'] = parameter('shareId').optional().meta({ description: `${PARAMETER_RULES.shareId.expected}; or give shareUrl` });
    shape['shareUrl'] = z.string().max(2048).optional().meta({ description: 'a sharing URL (https), instead of shareId' });
    return z.strictObject(shape).refine((v) => (v['shareId'] === undefined) !== (v['shareUrl'] === undefined), {
      message: `${row.name} needs exactly one of shareId or shareUrl`,
    });
  }
  return z.strictObject(shape);
}

const variantSchemas = ROUTE_VARIANTS.map(targetObjectSchema);

/** The object form of `target`, one schema per route variant, in table order. */
export const targetVariantSchemas: ReadonlyMap<RouteVariant['name'], z.ZodType> = new Map(
  ROUTE_VARIANTS.map((row, i) => [row.name, variantSchemas[i]!]),
);

const targetObject = z
  .looseObject({ variant: z.string() })
  .superRefine((value, ctx) => {
    const index = ROUTE_VARIANTS.findIndex((row) => row.name === value.variant);
    if (index < 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['variant'],
        message: `must be one of ${ROUTE_VARIANTS.map((row) => row.name).join(', ')}`,
      });
      return;
    }
    const parsed = variantSchemas[index]!.safeParse(value);
    if (parsed.success) return;
    for (const problem of issuesToProblems(parsed.error.issues, [])) {
      ctx.addIssue({ code: 'custom', path: problem.pointer.split('/').slice(1), message: problem.detail });
    }
  })
  .transform((value) => value as TargetObject);

const contextSchema = z
  .record(
    z.string().regex(/^[A-Za-z][A-Za-z0-9._:-]{0,63}$/, {
      message: 'keys must start with a letter and be at most 64 letters, digits, ".", "_", ":" or "-"',
    }),
    z.union([z.string(), z.number(), z.boolean()], { message: 'values must be strings, numbers or booleans' }),
  )
  .refine((value) => Buffer.byteLength(JSON.stringify(value), 'utf8') <= MAX_CONTEXT_BYTES, {
    message: `must be at most ${MAX_CONTEXT_BYTES} bytes as JSON`,
  });

export const checkoutRequestSchema = z.strictObject({
  requestId: requestIdSchema.optional(),
  action: z.enum(ACTIONS).optional(),
  // Checked by targetSchema below: a union would hide which field of the object is wrong.
  target: z.unknown().optional(),
  shareUrl: z.string().max(2048).optional(),
  userId: parameter('userId').optional(),
  comment: z.string().max(MAX_COMMENT_LENGTH).optional(),
  checkInAs: z.literal('published').optional(),
  correlationId: z
    .string()
    .regex(/^[\x21-\x7e]{1,256}$/, { message: 'must be 1-256 printable ASCII characters without spaces' })
    .optional(),
  context: contextSchema.optional(),
  /** Logic Apps' HTTP Webhook action: the result is POSTed here when done (checked against the allowlist). */
  callbackUrl: z.string().min(1).max(2048).optional(),
});

const targetPathSchema = z.string().min(1).max(4096);

export type TargetObject = { variant: RouteVariant['name'] } & Record<string, string>;
export type CheckoutRequest = Omit<z.infer<typeof checkoutRequestSchema>, 'target'> & { target?: string | TargetObject };

function issuesToProblems(issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[]): Problem[] {
  const problems: Problem[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        problems.push({ pointer: pointerFromPath([...prefix, ...issue.path, key]), detail: `is not a known field ("${key}")` });
      }
    } else {
      problems.push({ pointer: pointerFromPath([...prefix, ...issue.path]), detail: issue.message });
    }
  }
  return problems;
}

function parseTarget(target: unknown): { ok: true; target: string | TargetObject | undefined } | { ok: false; problems: Problem[] } {
  if (target === undefined) return { ok: true, target: undefined };
  if (typeof target === 'string') {
    const parsed = targetPathSchema.safeParse(target);
    return parsed.success ? { ok: true, target: parsed.data } : { ok: false, problems: issuesToProblems(parsed.error.issues, ['target']) };
  }
  if (typeof target === 'object' && target !== null && !Array.isArray(target)) {
    const parsed = targetObject.safeParse(target);
    return parsed.success ? { ok: true, target: parsed.data } : { ok: false, problems: issuesToProblems(parsed.error.issues, ['target']) };
  }
  return { ok: false, problems: [{ pointer: '/target', detail: 'must be a Graph path string or an object with a "variant"' }] };
}

export type RequestParse = { ok: true; request: CheckoutRequest } | { ok: false; problems: Problem[] };

export function parseCheckoutRequest(raw: unknown): RequestParse {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, problems: [{ pointer: '', detail: 'must be one JSON object (a checkout request)' }] };
  }
  const prototypeKeys = findPrototypeKeys(raw, []);
  if (prototypeKeys.length > 0) return { ok: false, problems: prototypeKeys };
  const parsed = checkoutRequestSchema.safeParse(raw);
  const target = parseTarget((raw as Record<string, unknown>)['target']);
  const problems = [...(parsed.success ? [] : issuesToProblems(parsed.error.issues, [])), ...(target.ok ? [] : target.problems)];
  if (!parsed.success || !target.ok || problems.length > 0) return { ok: false, problems };
  const request: CheckoutRequest = { ...parsed.data, target: target.target };
  if (request.target === undefined) delete request.target;
  return { ok: true, request };
}

/**
 * zod quietly drops a `__proto__` key (JSON.parse makes it an own property); say so instead,
 * since such a key is an attack or a bug, never a field a user meant. The walk is bounded by
 * the schema's shape: nothing valid nests deeper than target/context.
 */
function findPrototypeKeys(value: unknown, path: string[]): Problem[] {
  if (typeof value !== 'object' || value === null || path.length > 2) return [];
  const problems: Problem[] = [];
  for (const key of Object.keys(value)) {
    if (key === '__proto__') problems.push({ pointer: pointerFromPath([...path, key]), detail: 'is not allowed' });
    else problems.push(...findPrototypeKeys((value as Record<string, unknown>)[key], [...path, key]));
  }
  return problems;
}

/**
 * The parts of a request that can be echoed even when the whole is rejected, so a downstream
 * workflow can still match the rejection to what it sent.
 */
export function salvageEcho(raw: unknown): { requestId?: string; correlationId?: string; context?: CheckoutRequest['context'] } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return {};
  const record = raw as Record<string, unknown>;
  const echo: { requestId?: string; correlationId?: string; context?: CheckoutRequest['context'] } = {};
  const requestId = requestIdSchema.safeParse(record['requestId']);
  if (requestId.success) echo.requestId = requestId.data;
  const correlationId = checkoutRequestSchema.shape.correlationId.safeParse(record['correlationId']);
  if (correlationId.success && correlationId.data !== undefined) echo.correlationId = correlationId.data;
  const context = contextSchema.safeParse(record['context']);
  if (context.success) echo.context = context.data;
  return echo;
}
