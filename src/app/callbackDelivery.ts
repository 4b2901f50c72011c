import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { callbackUrlProblem, isPrivateAddress } from '../checkout/callback';
import type { ResultMessage } from '../checkout/result';

const ATTEMPTS = 3;
const TIMEOUT_MS = 10_000;

export interface CallbackOutcome {
  delivered: boolean;
  detail: string;
}

/**
 * POSTs a result to the request's callbackUrl (Logic Apps' HTTP Webhook action resumes on it).
 * The URL was checked when the request was accepted; here its host is resolved and refused if
 * any address is private, so a DNS name cannot smuggle the call inside a network. Redirects
 * are not followed. Failures are reported, never thrown: the result is on the queue regardless.
 */
export async function deliverCallback(callbackUrl: string, result: ResultMessage, allowedHosts: readonly string[]): Promise<CallbackOutcome> {
  const problem = callbackUrlProblem(callbackUrl, allowedHosts);
  if (problem) return { delivered: false, detail: `callbackUrl ${problem}` };
  const url = new URL(callbackUrl);
  // Address literals and localhost were vetted with the URL; only names need resolving.
  if (isIP(url.hostname.replace(/^\[|\]$/g, '')) === 0 && url.hostname !== 'localhost') {
    let addresses: Array<{ address: string }>;
    try {
      addresses = await lookup(url.hostname, { all: true });
    } catch {
      return { delivered: false, detail: `could not resolve ${url.hostname}` };
    }
    if (addresses.some((a) => isPrivateAddress(a.address))) return { delivered: false, detail: `${url.hostname} resolves to a private address` };
  }

  let last = '';
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(result),
        redirect: 'manual',
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      await response.body?.cancel();
      if (response.ok) return { delivered: true, detail: `HTTP ${response.status}` };
      last = `HTTP ${response.status}`;
      if (response.status < 500 && response.status !== 429 && response.status !== 408) break;
    } catch (error) {
      last = error instanceof Error ? error.name : 'error';
    }
    if (attempt < ATTEMPTS) await new Promise((resolve) => setTimeout(resolve, 500 * 2 ** attempt));
  }
  return { delivered: false, detail: last };
}
