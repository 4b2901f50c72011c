import { HttpResponse, type HttpResponseInit } from '@azure/functions';

/** The handler-facing response shape, independent of HttpResponse vs HttpResponseInit. */
export interface NormalizedHttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  json(): unknown;
}

/** What the Node.js v4 worker hands a queue handler: parsed JSON when it parses, else the string. */
export function triggerValue(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function messageText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  return JSON.stringify(value);
}

/** How the host writes a queue output value: arrays fan out to one message per element. */
export function queueOutputMessages(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.filter((v) => v !== undefined && v !== null).map(messageText);
  return [messageText(value)];
}

/** Binding properties like `queueName: '%REQUESTS_QUEUE%'` are app-setting references. */
export function resolveAppSettings(value: string, env: NodeJS.ProcessEnv = process.env): string {
  return value.replace(/%([^%]+)%/g, (_m, name: string) => {
    const setting = env[name];
    if (setting === undefined) throw new Error(`app setting ${name} (referenced as %${name}%) is not set`);
    return setting;
  });
}

function normalizedFrom(status: number, headers: Record<string, string>, body: string): NormalizedHttpResponse {
  return { status, headers, body, json: () => JSON.parse(body) as unknown };
}

/**
 * Runs the result through the library's own HttpResponse, as the worker does, so jsonBody,
 * default status 200 and content-type defaults behave the same. No result means the host's 200.
 */
export async function normalizeHttpResponse(result: unknown): Promise<NormalizedHttpResponse> {
  if (result === undefined || result === null) return normalizedFrom(200, {}, '');
  if (typeof result !== 'object') {
    throw new Error('The HTTP response must be an object with optional properties "body", "status", "headers", and "cookies".');
  }
  const response = result instanceof HttpResponse ? result : new HttpResponse(result as HttpResponseInit);
  const headers: Record<string, string> = {};
  for (const [key, value] of response.headers.entries()) headers[key] = value;
  return normalizedFrom(response.status, headers, await response.text());
}

export function serverErrorResponse(): NormalizedHttpResponse {
  return normalizedFrom(500, {}, '');
}
