/** host.json `extensions.queues.messageEncoding`. */
export type MessageEncoding = 'base64' | 'none';

export type DecodeResult = { ok: true; text: string } | { ok: false; reason: string };

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function encodeMessage(text: string, encoding: MessageEncoding): string {
  return encoding === 'base64' ? Buffer.from(text, 'utf8').toString('base64') : text;
}

/**
 * Node's base64 decoder silently skips junk, but the host's (.NET Convert.FromBase64String)
 * rejects it, failing the message; so validate strictly, ignoring only whitespace as .NET does.
 */
export function decodeMessage(raw: string, encoding: MessageEncoding): DecodeResult {
  if (encoding === 'none') return { ok: true, text: raw };
  const compact = raw.replace(/[\s]/g, '');
  if (compact.length % 4 !== 0 || !BASE64.test(compact)) {
    return { ok: false, reason: 'The input is not a valid Base-64 string' };
  }
  return { ok: true, text: Buffer.from(compact, 'base64').toString('utf8') };
}
