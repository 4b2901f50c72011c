import type { Action } from './actions';
import { callbackUrlProblem } from './callback';
import type { Problem } from './problems';
import { parseCheckoutRequest, salvageEcho, type CheckoutRequest } from './request';
import { buildGraphPath, parseGraphPath, variantByName, type ResolvedRoute, type RouteResolution } from './routes';
import { shareIdFromUrl, sharingUrlProblem } from './shareId';

export type RejectionCode = 'invalidRequest' | 'unknownRoute' | 'delegatedRouteNeedsUser';

/** A request that passed every check: the only shape the rest of the app runs. */
export interface AcceptedRequest {
  requestId: string;
  action: Action;
  route: ResolvedRoute;
  /** The request as it will be queued: requestId filled in, everything else as sent. */
  request: CheckoutRequest & { requestId: string };
}

export interface RejectedRequest {
  requestId: string;
  action: Action;
  code: RejectionCode;
  problems: Problem[];
  correlationId?: string;
  context?: CheckoutRequest['context'];
}

export type Interpretation = { ok: true; accepted: AcceptedRequest } | { ok: false; rejected: RejectedRequest };

export interface InterpretOptions {
  /** Origin of the configured Graph endpoint; the only origin a full-URL target may use. */
  graphOrigin: string;
  newRequestId: () => string;
  /** Hosts a callbackUrl may point at; empty refuses every callbackUrl. */
  callbackHosts?: readonly string[];
}

/** Raw JSON → an accepted request with its Graph route, or a rejection naming every problem. */
export function interpretRequest(raw: unknown, options: InterpretOptions): Interpretation {
  const parsed = parseCheckoutRequest(raw);
  if (!parsed.ok) return reject(raw, options, 'invalidRequest', parsed.problems);
  const request = parsed.request;
  const requestId = request.requestId ?? options.newRequestId();

  const resolution = resolveTarget(request, options.graphOrigin);
  if (!resolution.ok) return reject(raw, options, resolution.code, resolution.problems, requestId);
  const { route, pathAction } = resolution;

  const problems: Problem[] = [];
  if (request.action !== undefined && pathAction !== undefined && request.action !== pathAction) {
    problems.push({ pointer: '/target', detail: `ends in /${pathAction} but "action" is "${request.action}"; make them agree` });
  }
  const action: Action = request.action ?? pathAction ?? 'checkout';
  if (request.callbackUrl !== undefined) {
    const problem = callbackUrlProblem(request.callbackUrl, options.callbackHosts ?? []);
    if (problem) problems.push({ pointer: '/callbackUrl', detail: problem });
  }
  if (action !== 'checkin') {
    if (request.comment !== undefined) problems.push({ pointer: '/comment', detail: `applies only to checkin, not ${action}` });
    if (request.checkInAs !== undefined) problems.push({ pointer: '/checkInAs', detail: `applies only to checkin, not ${action}` });
  }
  if (problems.length > 0) return reject(raw, options, 'invalidRequest', problems, requestId, action);

  return { ok: true, accepted: { requestId, action, route, request: { ...request, requestId } } };
}

/** For input that never became JSON (a queue message that is neither JSON nor base64 JSON). */
export function rejectUnreadable(detail: string, newRequestId: () => string): Interpretation {
  return { ok: false, rejected: { requestId: newRequestId(), action: 'checkout', code: 'invalidRequest', problems: [{ pointer: '', detail }] } };
}

function reject(
  raw: unknown,
  options: InterpretOptions,
  code: RejectionCode,
  problems: Problem[],
  requestId?: string,
  action?: Action,
): Interpretation {
  const echo = salvageEcho(raw);
  const rawAction = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>)['action'] : undefined;
  const rejected: RejectedRequest = {
    requestId: requestId ?? echo.requestId ?? options.newRequestId(),
    action: action ?? (rawAction === 'checkin' || rawAction === 'discardCheckout' ? rawAction : 'checkout'),
    code,
    problems,
  };
  if (echo.correlationId !== undefined) rejected.correlationId = echo.correlationId;
  if (echo.context !== undefined) rejected.context = echo.context;
  return { ok: false, rejected };
}

type TargetResolution = { ok: true; route: ResolvedRoute; pathAction?: Action } | (RouteResolution & { ok: false });

function resolveTarget(request: CheckoutRequest, graphOrigin: string): TargetResolution {
  const { target, shareUrl, userId } = request;
  if (target !== undefined && shareUrl !== undefined) {
    return invalid('/shareUrl', 'give either "target" or "shareUrl", not both');
  }
  if (target === undefined && shareUrl === undefined) {
    return invalid('/target', 'is required: a Graph path, an object with a "variant", or use "shareUrl"');
  }

  if (shareUrl !== undefined) {
    const problem = sharingUrlProblem(shareUrl);
    if (problem) return invalid('/shareUrl', problem);
    if (userId !== undefined) return invalid('/userId', 'applies only to the me* variants, not to a sharing link');
    return buildGraphPath(variantByName('shareItem'), { shareId: shareIdFromUrl(shareUrl) });
  }

  if (typeof target === 'string') {
    const path = pathOfTarget(target, graphOrigin);
    if ('problem' in path) return invalid('/target', path.problem);
    const parsed = parseGraphPath(path.path, '/target');
    if (!parsed.ok) return parsed;
    const { row, values, action } = parsed.parsed;
    if (parsed.parsed.userId !== undefined && userId !== undefined && parsed.parsed.userId !== userId) {
      return invalid('/userId', 'differs from the user in the target path; give it once');
    }
    if (!row.delegated && userId !== undefined) return userIdNotApplicable(row.name);
    const resolved = buildGraphPath(row, values, parsed.parsed.userId ?? userId);
    if (!resolved.ok) return resolved;
    return action === undefined ? resolved : { ...resolved, pathAction: action };
  }

  const { variant, ...values } = target!;
  const row = variantByName(variant);
  if (!row.delegated && userId !== undefined) return userIdNotApplicable(row.name);
  const { shareUrl: objectShareUrl, ...rest } = values;
  if (objectShareUrl !== undefined) {
    const problem = sharingUrlProblem(objectShareUrl);
    if (problem) return invalid('/target/shareUrl', problem);
    rest['shareId'] = shareIdFromUrl(objectShareUrl);
  }
  return buildGraphPath(row, rest, userId);
}

function pathOfTarget(target: string, graphOrigin: string): { path: string } | { problem: string } {
  if (!/^[a-z][a-z0-9+.-]*:/i.test(target)) return { path: target };
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return { problem: 'is not a valid URL' };
  }
  if (url.origin.toLowerCase() !== graphOrigin.toLowerCase()) {
    return { problem: `is a URL outside the configured Graph endpoint (${graphOrigin}); give a Graph path or a URL on that origin` };
  }
  if (url.search !== '' || url.hash !== '' || target.includes('?') || target.includes('#')) {
    return { problem: 'must not carry a query string or fragment' };
  }
  if (url.username !== '' || url.password !== '') return { problem: 'must not carry credentials' };
  // URL normalises "." and ".." away; take the path as written so such tricks are seen and refused.
  const written = target.slice(target.indexOf('/', target.indexOf('//') + 2));
  return { path: written === target ? '/' : written };
}

function invalid(pointer: string, detail: string): RouteResolution & { ok: false } {
  return { ok: false, code: 'invalidRequest', problems: [{ pointer, detail }] };
}

function userIdNotApplicable(variant: string): RouteResolution & { ok: false } {
  return invalid('/userId', `applies only to the me* variants (the /drive/... routes), not to ${variant}`);
}
