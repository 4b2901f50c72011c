import type { HttpResponseInit } from '@azure/functions';
import { problem, problemResponse } from './problemDetails';

const ALLOW = 'OPTIONS, POST';
// A host name (Event Grid sends eventgrid.azure.net) or "*"; nothing that could split a header.
const ORIGIN = /^(\*|[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?(?::\d{1,5})?)$/;

interface HeaderSource {
  get(name: string): string | null;
}

/**
 * The CloudEvents webhook abuse-protection handshake (OPTIONS, `WebHook-Request-Origin`), which
 * Event Grid uses for CloudEvents subscriptions. The function key already decides who may call,
 * so every origin that presents it is allowed, at any rate: the queue absorbs bursts.
 * `WebHook-Request-Callback` is never fetched, so the handshake cannot make the app call out.
 */
export function webhookHandshakeResponse(headers: HeaderSource): HttpResponseInit {
  const origin = headers.get('webhook-request-origin')?.trim();
  if (origin === undefined) return { status: 204, headers: { allow: ALLOW } };
  if (!ORIGIN.test(origin)) {
    return problemResponse(
      problem(400, 'invalidRequest', 'Invalid WebHook-Request-Origin', 'WebHook-Request-Origin must be a host name such as eventgrid.azure.net.'),
      { allow: ALLOW },
    );
  }
  return { status: 200, headers: { allow: ALLOW, 'webhook-allowed-origin': origin, 'webhook-allowed-rate': '*' } };
}

/** Event Grid's own handshake for subscriptions in its event schema: echo the code back. */
export function subscriptionValidationResponse(validationCode: string): HttpResponseInit {
  return {
    status: 200,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify({ validationResponse: validationCode }),
  };
}
