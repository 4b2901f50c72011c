import { z } from 'zod';

/** A Swagger 2.0 Schema Object (a subset of JSON Schema draft 4, plus `x-` extensions). */
export type SwaggerSchema = { [keyword: string]: SwaggerValue };
type SwaggerValue = string | number | boolean | null | SwaggerValue[] | { [key: string]: SwaggerValue };

const PASSED_THROUGH = new Set([
  'type',
  'format',
  'title',
  'description',
  'default',
  'multipleOf',
  'maximum',
  'exclusiveMaximum',
  'minimum',
  'exclusiveMinimum',
  'maxLength',
  'minLength',
  'pattern',
  'maxItems',
  'minItems',
  'uniqueItems',
  'maxProperties',
  'minProperties',
  'required',
  'enum',
  'readOnly',
  'example',
]);
// Keywords draft 4 has and Swagger 2.0 lacks that only narrow what is valid; dropping them loosens
// the document a little and the app still enforces them.
const DROPPED = new Set(['$schema', 'id', '$id', 'propertyNames', 'patternProperties', 'dependencies']);

/**
 * zod's own JSON Schema output, narrowed to what Swagger 2.0 (and so a Logic Apps custom
 * connector) accepts. Anything this cannot express faithfully throws, so a schema change that
 * would silently produce a wrong document fails the build's tests instead.
 */
export function swaggerSchemaOf(schema: z.ZodType, io: 'input' | 'output' = 'input'): SwaggerSchema {
  return toSwagger(z.toJSONSchema(schema, { target: 'draft-4', io }) as Record<string, unknown>, '#');
}

function toSwagger(schema: Record<string, unknown>, at: string): SwaggerSchema {
  const out: SwaggerSchema = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (DROPPED.has(keyword)) continue;
    if (keyword.startsWith('x-')) {
      out[keyword] = value as SwaggerValue;
    } else if (keyword === 'type' && Array.isArray(value)) {
      // Swagger 2.0 allows one type; leave it open and say which ones in words.
      const types = value.filter((t) => t !== 'null').map(String);
      if (types.length === 1) out['type'] = types[0]!;
      else out['x-types'] = types;
    } else if (keyword === 'anyOf' || keyword === 'oneOf') {
      out['x-types'] = primitiveAlternatives(value, `${at}/${keyword}`);
    } else if ((keyword === 'maximum' && value === Number.MAX_SAFE_INTEGER) || (keyword === 'minimum' && value === -Number.MAX_SAFE_INTEGER)) {
      // zod's bounds of a safe integer, not a rule of this API.
      continue;
    } else if (keyword === 'properties') {
      out['properties'] = Object.fromEntries(
        Object.entries(value as Record<string, Record<string, unknown>>).map(([name, property]) => [name, toSwagger(property, `${at}/properties/${name}`)]),
      );
    } else if (keyword === 'items' || keyword === 'additionalProperties') {
      out[keyword] = typeof value === 'boolean' ? value : toSwagger(value as Record<string, unknown>, `${at}/${keyword}`);
    } else if (keyword === 'allOf') {
      out['allOf'] = (value as Array<Record<string, unknown>>).map((part, i) => toSwagger(part, `${at}/allOf/${i}`));
    } else if (PASSED_THROUGH.has(keyword)) {
      out[keyword] = value as SwaggerValue;
    } else {
      throw new Error(`Swagger 2.0 cannot express "${keyword}" at ${at}; describe it another way`);
    }
  }
  return out;
}

function primitiveAlternatives(alternatives: unknown, at: string): string[] {
  const types = (alternatives as Array<Record<string, unknown>>).map((alternative) => {
    const keys = Object.keys(alternative);
    if (keys.length !== 1 || keys[0] !== 'type' || typeof alternative['type'] !== 'string') {
      throw new Error(`Swagger 2.0 has no anyOf/oneOf; only a choice of plain types can be described (${at})`);
    }
    return alternative['type'];
  });
  return types;
}
