/**
 * What the Node.js worker hands a queue trigger depends on the message: JSON text arrives
 * parsed, other text as a string, binary as bytes. Logic Apps' queue connector writes plain
 * JSON; the Functions SDKs and many scripts write base64. Accept all of them here, so that a
 * message is never poisoned just for its encoding.
 */
export type DecodedMessage = { ok: true; raw: unknown } | { ok: false; detail: string };

const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

export function decodeQueueMessage(message: unknown): DecodedMessage {
  if (message instanceof Uint8Array) return decodeText(Buffer.from(message).toString('utf8'));
  if (typeof message === 'string') return decodeText(message);
  if (typeof message === 'object' && message !== null) return { ok: true, raw: message };
  return { ok: false, detail: 'the queue message must be a JSON object (as text or base64)' };
}

function decodeText(text: string): DecodedMessage {
  const trimmed = stripBom(text).trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return parseJson(trimmed, 'the queue message');
  const compact = trimmed.replace(/\s+/g, '');
  if (compact.length > 0 && compact.length % 4 !== 1 && BASE64.test(compact)) {
    const decoded = stripBom(Buffer.from(compact, compact.includes('-') || compact.includes('_') ? 'base64url' : 'base64').toString('utf8')).trim();
    if (decoded.startsWith('{') || decoded.startsWith('[')) return parseJson(decoded, 'the base64-decoded queue message');
    return { ok: false, detail: 'the queue message is base64 but does not decode to JSON' };
  }
  return { ok: false, detail: 'the queue message is neither JSON nor base64-encoded JSON' };
}

function parseJson(text: string, what: string): DecodedMessage {
  try {
    return { ok: true, raw: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, detail: `${what} is not valid JSON (${error instanceof Error ? error.message : 'parse error'})` };
  }
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
