import type { HttpRequest } from '@azure/functions';
import { problem, type ProblemDocument } from './problemDetails';

export const MAX_BODY_BYTES = 64 * 1024;

/**
 * Reads a JSON request body, refusing what is too big (413), not JSON (415) or malformed
 * (400) with a problem that says so; none of these may become a 500.
 */
export async function readJsonBody(request: HttpRequest): Promise<{ ok: true; value: unknown } | { ok: false; problem: ProblemDocument }> {
  const contentType = request.headers.get('content-type');
  if (contentType !== null && !/^application\/([\w.+-]*\+)?json\s*(;|$)/i.test(contentType.trim())) {
    return {
      ok: false,
      problem: problem(415, 'unsupportedMediaType', 'Unsupported media type', `The body must be JSON (Content-Type: application/json), not "${contentType.slice(0, 100)}".`),
    };
  }
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > MAX_BODY_BYTES) return { ok: false, problem: tooLarge() };
  const bytes = Buffer.from(await request.arrayBuffer());
  if (bytes.length > MAX_BODY_BYTES) return { ok: false, problem: tooLarge() };
  if (bytes.length === 0) {
    return { ok: false, problem: problem(400, 'invalidRequest', 'Empty body', 'The body must be a JSON checkout request; it was empty.') };
  }
  let text = bytes.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'parse error';
    return { ok: false, problem: problem(400, 'invalidRequest', 'Malformed JSON', `The body is not valid JSON: ${reason}.`) };
  }
}

function tooLarge(): ProblemDocument {
  return problem(413, 'payloadTooLarge', 'Payload too large', `The body must be at most ${MAX_BODY_BYTES} bytes.`);
}
