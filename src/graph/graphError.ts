/** Graph's error body: `{ "error": { "code", "message", "innerError": { "request-id" } } }`. */
export interface GraphErrorBody {
  code?: string;
  message?: string;
  requestId?: string;
}

export function readGraphError(bodyText: string | undefined): GraphErrorBody {
  if (!bodyText) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(bodyText);
  } catch {
    return {};
  }
  const error = isRecord(parsed) ? parsed['error'] : undefined;
  if (!isRecord(error)) return {};
  const inner = isRecord(error['innerError']) ? error['innerError'] : undefined;
  const out: GraphErrorBody = {};
  if (typeof error['code'] === 'string') out.code = error['code'];
  // Graph messages can be long HTML-ish dumps; a result message needs the gist.
  if (typeof error['message'] === 'string') out.message = error['message'].slice(0, 500);
  if (inner && typeof inner['request-id'] === 'string') out.requestId = inner['request-id'];
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
