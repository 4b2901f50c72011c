import { Agent, request } from 'node:http';

/*
 * The least any client must do for a checkout: one POST with a bearer token it already
 * holds, and reading the answer. Nothing validated, routed, retried or serialized.
 */

/** The baseline the issue names: Node's global fetch (undici). */
export async function fetchCheckout(url: string, token: string): Promise<number> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
  });
  await response.arrayBuffer();
  return response.status;
}

/**
 * The same over node:http with a keep-alive agent, the transport under the app's pipeline.
 * fetch costs more CPU than node:http, so against fetch alone the app's own work would hide
 * in the difference between the two transports.
 */
export function httpCheckout(agent: Agent): (url: string, token: string) => Promise<number> {
  return (url, token) =>
    new Promise((resolve, reject) => {
      const req = request(url, { method: 'POST', agent, headers: { authorization: `Bearer ${token}`, accept: 'application/json', 'content-length': '0' } }, (res) => {
        res.on('data', () => undefined);
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
}

export function keepAliveAgent(): Agent {
  return new Agent({ keepAlive: true });
}

/** The baselines' fixed token, fetched once the way the identity library fetches it. */
export async function fetchManagedIdentityToken(resource: string): Promise<string> {
  const endpoint = process.env['IDENTITY_ENDPOINT'];
  const secret = process.env['IDENTITY_HEADER'];
  if (!endpoint || !secret) throw new Error('IDENTITY_ENDPOINT and IDENTITY_HEADER must be set');
  const url = `${endpoint}?api-version=2019-08-01&resource=${encodeURIComponent(resource)}`;
  const response = await fetch(url, { headers: { 'x-identity-header': secret } });
  if (!response.ok) throw new Error(`the identity endpoint answered ${response.status}`);
  const body = (await response.json()) as { access_token?: unknown };
  if (typeof body.access_token !== 'string') throw new Error('the identity endpoint sent no access_token');
  return body.access_token;
}

/**
 * A bare client that honours Retry-After and nothing more: what any client can get out of a
 * throttled Graph, the yardstick for the app's share of the limit.
 */
export async function fetchCheckoutHonouringRetryAfter(url: string, token: string, maxRetries: number): Promise<{ status: number; attempts: number }> {
  for (let attempt = 1; ; attempt++) {
    const response = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
    await response.arrayBuffer();
    const retryAfter = Number(response.headers.get('retry-after'));
    if (response.status !== 429 || attempt > maxRetries || !Number.isFinite(retryAfter)) return { status: response.status, attempts: attempt };
    await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000));
  }
}
