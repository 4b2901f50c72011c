import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { defaultErrorFor, graphErrorBody, type GraphError } from './graphErrors';
import { applyAction, newItemState, type GraphItemInit, type GraphItemState } from './graphItems';
import { isGraphAction, parseGraphPath } from './graphPaths';
import { closeServer, listenOnLoopback, LOOPBACK } from './localServer';

export interface GraphCall {
  method: string;
  /** Raw request target (path and query), still percent-encoded. */
  path: string;
  version: string;
  action: string;
  /** Decoded canonical item path, e.g. `drives/b!abc/items/01ABC`. */
  itemPath: string;
  authorization?: string;
  userAgent?: string;
  clientRequestId?: string;
  body: string;
  at: number;
  /** 0 while pending, and for calls answered by a socket reset. */
  status: number;
}

export interface GraphFault {
  /** How many matching calls get this fault; default 1. */
  times?: number;
  match?: (call: GraphCall) => boolean;
  status: number;
  code?: string;
  message?: string;
  /** Seconds, or an HTTP-date string, sent verbatim as Retry-After. */
  retryAfter?: number | string;
  delayMs?: number;
  /** Destroy the socket without answering (after delayMs, if set). */
  reset?: boolean;
}

export interface GraphEmulatorOptions {
  isValidToken: (token: string) => boolean;
  /** Added before every answer. */
  latencyMs?: number;
  /**
   * Admit perSecond × windowSeconds calls per fixed window (1 s unless set), opened by the
   * first call after the last one ended; answer the rest 429 with a whole-second Retry-After
   * to the window's end. SharePoint counts an app's calls over a minute.
   */
  rateLimit?: { perSecond: number; windowSeconds?: number };
}

export interface GraphEmulator {
  /** Origin only, e.g. `http://127.0.0.1:PORT`; clients add `/v1.0/...`. */
  url: string;
  calls: GraphCall[];
  /** Calls that arrived for an itemPath+action before a Retry-After sent for it had elapsed. */
  readonly earlyRetries: number;
  addItem(path: string, item?: GraphItemInit): GraphItemState;
  /** A person who may hold checkouts, as SharePoint's User Information List knows them. */
  addUser(principal: string, user: { displayName: string; email?: string }): void;
  /** Throws for unknown paths so a typo in a test fails loudly. */
  item(path: string): GraphItemState;
  inject(fault: GraphFault): void;
  reset(): void;
  stop(): Promise<void>;
}

const DEFAULT_SITE_ID = 'contoso.sharepoint.com,2c712604-1370-44e7-a1f5-426573fda80a,2d2244c3-251a-49ea-93a8-39e1c3a060fe';

/** Client timers may fire a few ms early relative to our clock; that is not a protocol violation. */
const EARLY_RETRY_TOLERANCE_MS = 25;

interface ArmedFault {
  fault: GraphFault;
  remaining: number;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function retryNotBefore(retryAfter: string, now: number): number | undefined {
  const seconds = Number(retryAfter);
  if (retryAfter.trim() !== '' && Number.isFinite(seconds)) return now + seconds * 1000;
  const date = Date.parse(retryAfter);
  return Number.isNaN(date) ? undefined : date;
}

export async function startGraphEmulator(opts: GraphEmulatorOptions): Promise<GraphEmulator> {
  const calls: GraphCall[] = [];
  const items = new Map<string, GraphItemState>();
  const users = new Map<string, { lookupId: number; displayName: string; email?: string }>();
  const lookupIdOf = (principal: string): number => {
    let user = users.get(principal);
    if (!user) {
      user = { lookupId: users.size + 7, displayName: principal };
      users.set(principal, user);
    }
    return user.lookupId;
  };
  let faults: ArmedFault[] = [];
  const notBefore = new Map<string, number>();
  let earlyRetries = 0;
  let window = { start: 0, admitted: 0 };
  const timers = new Set<NodeJS.Timeout>();

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  const send = (
    res: ServerResponse,
    call: GraphCall,
    ids: { requestId: string; clientRequestId: string },
    status: number,
    error?: GraphError,
    extraHeaders: Record<string, string> = {}
  ): void => {
    call.status = status;
    const headers: Record<string, string> = {
      'request-id': ids.requestId,
      'client-request-id': ids.clientRequestId,
      ...extraHeaders,
    };
    const retryAfter = extraHeaders['Retry-After'];
    if ((status === 429 || status === 503) && retryAfter !== undefined) {
      const key = `${call.itemPath} ${call.action}`;
      const until = retryNotBefore(retryAfter, Date.now());
      if (until !== undefined) notBefore.set(key, Math.max(until, notBefore.get(key) ?? 0));
    }
    if (!error) {
      res.writeHead(status, headers);
      res.end();
      return;
    }
    const body = JSON.stringify(graphErrorBody(error.code, error.message, ids.requestId, ids.clientRequestId));
    res.writeHead(status, { ...headers, 'Content-Type': 'application/json' });
    res.end(body);
  };

  const rateLimited = (now: number): number | undefined => {
    if (!opts.rateLimit) return undefined;
    const windowMs = (opts.rateLimit.windowSeconds ?? 1) * 1000;
    if (now - window.start >= windowMs) window = { start: now, admitted: 0 };
    if (window.admitted < opts.rateLimit.perSecond * (windowMs / 1000)) {
      window.admitted++;
      return undefined;
    }
    return Math.max(1, Math.ceil((window.start + windowMs - now) / 1000));
  };

  const takeFault = (call: GraphCall): GraphFault | undefined => {
    const armed = faults.find((f) => f.remaining > 0 && (f.fault.match?.(call) ?? true));
    if (!armed) return undefined;
    armed.remaining--;
    faults = faults.filter((f) => f.remaining > 0);
    return armed.fault;
  };

  /**
   * The two reads that tell who holds a checkout: the item's list item (its fields carry
   * CheckoutUserLookupId while checked out) and that user's entry in the site's User
   * Information List.
   */
  const readResource = (rawPath: string): { status: number; json?: unknown; error?: GraphError } => {
    const segments = (rawPath.split('?')[0] ?? '').split('/').slice(1).map((s) => decodeURIComponent(s));
    const [, ...rest] = segments;
    if (rest.at(-1) === 'listItem') {
      const itemPath = rest.slice(0, -1).join('/');
      const item = items.get(itemPath);
      if (!item || itemPath.endsWith('/root')) return { status: 404, error: { status: 404, code: 'itemNotFound', message: 'The resource could not be found.' } };
      const siteId = rest[0] === 'sites' ? (rest[1] ?? DEFAULT_SITE_ID) : DEFAULT_SITE_ID;
      const fields: Record<string, string> = { id: '1' };
      if (item.checkedOutBy !== undefined) fields['CheckoutUserLookupId'] = String(lookupIdOf(item.checkedOutBy));
      return { status: 200, json: { id: '1', parentReference: { siteId }, fields } };
    }
    const userMatch = rest.length === 6 && rest[0] === 'sites' && rest[2] === 'lists' && rest[3] === 'User Information List' && rest[4] === 'items';
    if (userMatch) {
      const user = [...users.values()].find((u) => String(u.lookupId) === rest[5]);
      if (!user) return { status: 404, error: { status: 404, code: 'itemNotFound', message: 'The resource could not be found.' } };
      return { status: 200, json: { id: rest[5], fields: { Title: user.displayName, ...(user.email !== undefined && { EMail: user.email }) } } };
    }
    return { status: 400, error: { status: 400, code: 'BadRequest', message: `Resource not found for the segment '${rest.at(-1) ?? ''}'.` } };
  };

  const sendRead = (res: ServerResponse, call: GraphCall, ids: { requestId: string; clientRequestId: string }, read: ReturnType<typeof readResource>): void => {
    if (read.error) return send(res, call, ids, read.status, read.error);
    call.status = read.status;
    res.writeHead(read.status, { 'request-id': ids.requestId, 'client-request-id': ids.clientRequestId, 'Content-Type': 'application/json' });
    res.end(JSON.stringify(read.json));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const clientRequestId = header(req, 'client-request-id');
    const ids = { requestId: randomUUID(), clientRequestId: clientRequestId ?? '' };
    // Graph always answers with a client-request-id, falling back to its own request-id.
    ids.clientRequestId = clientRequestId ?? ids.requestId;
    const body = await readBody(req);
    const rawPath = req.url ?? '/';
    const parsed = parseGraphPath(rawPath);
    const authorization = header(req, 'authorization');
    const userAgent = header(req, 'user-agent');
    const call: GraphCall = {
      method: req.method ?? '',
      path: rawPath,
      version: parsed.version,
      action: parsed.action,
      itemPath: parsed.itemPath,
      ...(authorization !== undefined ? { authorization } : {}),
      ...(userAgent !== undefined ? { userAgent } : {}),
      ...(clientRequestId !== undefined ? { clientRequestId } : {}),
      body,
      at: Date.now(),
      status: 0,
    };
    calls.push(call);
    const retryKey = `${call.itemPath} ${call.action}`;
    if (call.at + EARLY_RETRY_TOLERANCE_MS < (notBefore.get(retryKey) ?? 0)) earlyRetries++;

    if (opts.latencyMs) await sleep(opts.latencyMs);

    const throttleSeconds = rateLimited(Date.now());
    if (throttleSeconds !== undefined) {
      const error = { status: 429, code: 'TooManyRequests', message: 'Too many requests' };
      return send(res, call, ids, 429, error, { 'Retry-After': String(throttleSeconds) });
    }

    const fault = takeFault(call);
    if (fault) {
      if (fault.delayMs) await sleep(fault.delayMs);
      if (fault.reset) {
        req.socket.destroy();
        return;
      }
      const fallback = defaultErrorFor(fault.status);
      const error = { status: fault.status, code: fault.code ?? fallback.code, message: fault.message ?? fallback.message };
      const extra: Record<string, string> = fault.retryAfter !== undefined ? { 'Retry-After': String(fault.retryAfter) } : {};
      return send(res, call, ids, fault.status, fault.status >= 400 ? error : undefined, extra);
    }

    const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
    if (!token || !opts.isValidToken(token)) {
      const message = token ? 'Access token validation failure. Invalid audience.' : 'Access token is empty.';
      return send(res, call, ids, 401, { status: 401, code: 'InvalidAuthenticationToken', message }, {
        'WWW-Authenticate': 'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"',
      });
    }
    if (call.method === 'GET') return sendRead(res, call, ids, readResource(rawPath));
    if (parsed.error) return send(res, call, ids, parsed.error.status, parsed.error);
    if (call.method !== 'POST' || !isGraphAction(call.action)) {
      return send(res, call, ids, 405, { status: 405, code: 'BadRequest', message: 'Method Not Allowed' });
    }
    const outcome = applyAction(items.get(call.itemPath), call.action, body);
    return send(res, call, ids, outcome.status, 'code' in outcome ? outcome : undefined);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(`graph emulator failure: ${String(err)}`);
    });
  });
  const port = await listenOnLoopback(server);

  return {
    url: `http://${LOOPBACK}:${port}`,
    calls,
    get earlyRetries() {
      return earlyRetries;
    },
    addItem(path, init) {
      const state = newItemState(init);
      items.set(path, state);
      return state;
    },
    addUser(principal, user) {
      users.set(principal, { lookupId: users.get(principal)?.lookupId ?? users.size + 7, ...user });
    },
    item(path) {
      const state = items.get(path);
      if (!state) throw new Error(`graph emulator has no item at ${path}; known: ${[...items.keys()].join(', ')}`);
      return state;
    },
    inject(fault) {
      faults.push({ fault, remaining: fault.times ?? 1 });
    },
    reset() {
      calls.length = 0;
      faults = [];
      items.clear();
      users.clear();
      notBefore.clear();
      earlyRetries = 0;
      window = { start: 0, admitted: 0 };
    },
    async stop() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await closeServer(server);
    },
  };
}
