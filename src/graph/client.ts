import {
  createDefaultHttpClient,
  createEmptyPipeline,
  createHttpHeaders,
  createPipelineRequest,
  isRestError,
  RestError,
  retryPolicy,
  setClientRequestIdPolicy,
  userAgentPolicy,
  type HttpClient,
  type PipelinePolicy,
  type PipelineRequest,
} from '@azure/core-rest-pipeline';
import type { TokenCredential } from '@azure/identity';
import type { CheckoutHolder, GraphActionCall, GraphActionOutcome, GraphActions, GraphFailure } from '../checkout/graphPort';
import { isValidParameter } from '../checkout/parameters';
import { readGraphError } from './graphError';
import { parseRetryAfter } from './retryAfter';
import { graphRetryStrategy } from './retryStrategy';
import { TokenCache, TokenUnavailableError } from './tokenCache';

export interface GraphClientOptions {
  /** e.g. https://graph.microsoft.com (a national cloud's origin works the same way). */
  origin: string;
  apiVersion: 'v1.0' | 'beta';
  credential: TokenCredential;
  /** Per attempt. */
  timeoutMs: number;
  /** Total waiting between attempts inside one call. */
  retryBudgetMs: number;
  maxRetries?: number;
  userAgent: string;
  httpClient?: HttpClient;
}

/** Segments the route resolver can emit: encoded values, never `.`/`..`, no query or fragment. */
const SAFE_PATH = /^(?:\/(?!\.{1,2}(?:\/|$))[A-Za-z0-9!$&'()*+,;=:@._~%-]+)+$/;

/**
 * Calls the driveItem actions over the Azure SDK's pipeline: its retry loop, client request
 * ids, user agent and keep-alive client; our policies add only the managed-identity token
 * (the SDK's bearer policy insists on https, which a loopback emulator lacks) and a
 * per-attempt timeout that the retry loop can see.
 */
export function createGraphClient(options: GraphClientOptions): GraphActions {
  const origin = new URL(options.origin).origin;
  const allowInsecure = new URL(origin).protocol === 'http:';
  const tokens = new TokenCache(options.credential, `${origin}/.default`);
  const startedAt = new WeakMap<PipelineRequest, number>();
  const attempts = new WeakMap<PipelineRequest, number>();

  const pipeline = createEmptyPipeline();
  pipeline.addPolicy(userAgentPolicy({ userAgentPrefix: options.userAgent }));
  pipeline.addPolicy(setClientRequestIdPolicy('client-request-id'));
  pipeline.addPolicy(
    retryPolicy([graphRetryStrategy({ budgetMs: options.retryBudgetMs, startedAt: (r) => startedAt.get(r) })], {
      maxRetries: options.maxRetries ?? 6,
    }),
    { phase: 'Retry' },
  );
  pipeline.addPolicy(managedIdentityToken(tokens), { phase: 'Sign' });
  pipeline.addPolicy(attemptTimeout(options.timeoutMs), { phase: 'Sign' });
  // Last, so it counts only attempts that reached Graph (not ones that failed for a token).
  pipeline.addPolicy(attemptCounter(attempts), { phase: 'Sign' });
  const httpClient = options.httpClient ?? createDefaultHttpClient();

  return {
    async invoke(call: GraphActionCall): Promise<GraphActionOutcome> {
      if (!SAFE_PATH.test(call.graphPath)) {
        // The resolver only builds safe paths; reaching this is a bug, and Graph must not see it.
        throw new Error('refusing to call Graph with a path the route table cannot produce');
      }
      const request = createPipelineRequest({
        url: `${origin}/${options.apiVersion}${call.graphPath}/${call.action}`,
        method: 'POST',
        headers: createHttpHeaders({ 'content-type': 'application/json', accept: 'application/json' }),
        body: call.body && Object.keys(call.body).length > 0 ? JSON.stringify(call.body) : undefined,
        requestId: call.requestId,
        allowInsecureConnection: allowInsecure,
      });
      startedAt.set(request, Date.now());
      try {
        const response = await pipeline.sendRequest(httpClient, request);
        const count = attempts.get(request) ?? 1;
        const graphRequestId = response.headers.get('request-id');
        if (response.status >= 200 && response.status < 300) {
          return { ok: true, status: response.status, attempts: count, ...(graphRequestId && { graphRequestId }) };
        }
        const body = readGraphError(response.bodyAsText ?? undefined);
        const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), Date.now());
        const failure: GraphFailure = {
          kind: 'http',
          status: response.status,
          message: body.message ?? '',
          ...(body.code !== undefined && { graphCode: body.code }),
          ...((graphRequestId ?? body.requestId) !== undefined && { graphRequestId: graphRequestId ?? body.requestId }),
          ...(retryAfterMs !== undefined && { retryAfterMs }),
        };
        return { ok: false, failure, attempts: count };
      } catch (error) {
        return { ok: false, failure: failureFromError(error), attempts: attempts.get(request) ?? 0 };
      }
    },

    async checkoutHolder(graphPath: string, requestId: string): Promise<CheckoutHolder | undefined> {
      if (!SAFE_PATH.test(graphPath)) return undefined;
      const listItem = await getJson(`${graphPath}/listItem?$select=id,parentReference&$expand=fields($select=CheckoutUserLookupId)`, requestId);
      const lookupId = String(field(field(listItem, 'fields'), 'CheckoutUserLookupId') ?? '');
      if (!/^\d{1,10}$/.test(lookupId)) return undefined;
      const holder: CheckoutHolder = { lookupId };
      // The site id comes from Graph's answer: checked like any input before it joins a URL.
      const siteId = field(field(listItem, 'parentReference'), 'siteId');
      if (typeof siteId !== 'string' || !isValidParameter('siteId', siteId)) return holder;
      const user = await getJson(
        `/sites/${encodeURIComponent(siteId)}/lists/User%20Information%20List/items/${lookupId}?$expand=fields($select=Title,EMail)`,
        requestId,
      );
      const fields = field(user, 'fields');
      const displayName = field(fields, 'Title');
      const email = field(fields, 'EMail');
      if (typeof displayName === 'string' && displayName !== '') holder.displayName = displayName.slice(0, 256);
      if (typeof email === 'string' && email !== '') holder.email = email.slice(0, 256);
      return holder;
    },
  };

  /** A read on the pipeline (token, retries, timeout); undefined unless Graph answers 200 with JSON. */
  async function getJson(pathAndQuery: string, requestId: string): Promise<unknown> {
    const request = createPipelineRequest({
      url: `${origin}/${options.apiVersion}${pathAndQuery}`,
      method: 'GET',
      headers: createHttpHeaders({ accept: 'application/json' }),
      requestId,
      allowInsecureConnection: allowInsecure,
    });
    startedAt.set(request, Date.now());
    try {
      const response = await pipeline.sendRequest(httpClient, request);
      return response.status === 200 && response.bodyAsText ? (JSON.parse(response.bodyAsText) as unknown) : undefined;
    } catch {
      return undefined;
    }
  }
}

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>)[name] : undefined;
}

function failureFromError(error: unknown): GraphFailure {
  if (error instanceof TokenUnavailableError) return { kind: 'token', message: error.message };
  if (isRestError(error) && error.code === 'GRAPH_TIMEOUT') return { kind: 'timeout', message: error.message };
  if (isRestError(error)) return { kind: 'network', message: `${error.code ?? 'error'}: ${error.message.slice(0, 200)}` };
  throw error;
}

function attemptCounter(attempts: WeakMap<PipelineRequest, number>): PipelinePolicy {
  return {
    name: 'attemptCounter',
    sendRequest(request, next) {
      attempts.set(request, (attempts.get(request) ?? 0) + 1);
      return next(request);
    },
  };
}

function managedIdentityToken(tokens: TokenCache): PipelinePolicy {
  return {
    name: 'managedIdentityToken',
    async sendRequest(request, next) {
      request.headers.set('authorization', `Bearer ${await tokens.getToken()}`);
      return next(request);
    },
  };
}

/**
 * The HTTP client turns its own timeout into an AbortError, which the retry loop rethrows at
 * once; a RestError with a code of ours lets the strategy treat a slow attempt as transient.
 */
function attemptTimeout(timeoutMs: number): PipelinePolicy {
  return {
    name: 'attemptTimeout',
    async sendRequest(request, next) {
      request.timeout = timeoutMs;
      try {
        return await next(request);
      } catch (error) {
        if (error instanceof Error && error.name === 'AbortError' && !request.abortSignal?.aborted) {
          throw new RestError(`no answer within ${timeoutMs} ms`, { code: 'GRAPH_TIMEOUT', request });
        }
        throw error;
      }
    },
  };
}
