import type { Action } from './actions';

/**
 * What the domain needs from Graph, and nothing of how it is reached: the graph/ module
 * implements it over HTTP with a managed-identity token.
 */
export interface GraphActionCall {
  action: Action;
  /** A path produced by the route resolver (no version, no action). */
  graphPath: string;
  requestId: string;
  body?: { comment?: string; checkInAs?: 'published' };
}

export type GraphFailure =
  | {
      kind: 'http';
      status: number;
      message: string;
      graphCode?: string;
      graphRequestId?: string;
      /** From Retry-After, when Graph said how long to wait. */
      retryAfterMs?: number;
    }
  | { kind: 'timeout'; message: string }
  | { kind: 'network'; message: string }
  | { kind: 'token'; message: string };

export type GraphActionOutcome =
  | { ok: true; status: number; graphRequestId?: string; attempts: number }
  | { ok: false; failure: GraphFailure; attempts: number };

/** Who holds a checkout, as far as the app's identity can read it. */
export interface CheckoutHolder {
  /** The holder's id in the site's User Information List. */
  lookupId: string;
  displayName?: string;
  email?: string;
}

export interface GraphActions {
  invoke(call: GraphActionCall): Promise<GraphActionOutcome>;
  /** Best effort: undefined when Graph does not say (or the app may not read it). */
  checkoutHolder?(graphPath: string, requestId: string): Promise<CheckoutHolder | undefined>;
}
