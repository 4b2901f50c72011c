import type { GraphActions } from './graphPort';
import { describeProblems } from './problems';
import type { AcceptedRequest, Interpretation } from './interpret';
import { classifyGraphFailure, type ResultError, type ResultMessage } from './result';

export interface RunDependencies {
  graph: GraphActions;
  now: () => Date;
}

export interface RunInput {
  interpretation: Interpretation;
  source: ResultMessage['source'];
  receivedAt: Date;
  /**
   * The last chance this request gets (sync HTTP, or the queue's final delivery): a
   * transient failure then becomes a failed result instead of a redelivery.
   */
  finalAttempt: boolean;
  /** Graph calls made by earlier deliveries of the same request, counted into `attempts`. */
  priorAttempts?: number;
}

export type RunOutcome =
  | { kind: 'completed'; result: ResultMessage }
  /** Transient failure with attempts left: let the trigger deliver the request again. */
  | { kind: 'retryLater'; requestId: string; error: ResultError; attempts: number; retryAfterMs?: number };

/** One request → one outcome. Graph and validation failures are values, never throws. */
export async function runCheckout(input: RunInput, deps: RunDependencies): Promise<RunOutcome> {
  const { interpretation, source, receivedAt } = input;
  const base = { source, receivedAt: receivedAt.toISOString() };

  if (!interpretation.ok) {
    const { rejected } = interpretation;
    return completed(deps, receivedAt, {
      requestId: rejected.requestId,
      ...(rejected.correlationId !== undefined && { correlationId: rejected.correlationId }),
      action: rejected.action,
      status: 'rejected',
      error: {
        code: rejected.code,
        message: describeProblems(rejected.problems),
        retryable: false,
        problems: rejected.problems,
      },
      attempts: 0,
      ...base,
      ...(rejected.context !== undefined && { context: rejected.context }),
    });
  }

  const accepted = interpretation.accepted;
  const common = commonFields(accepted);
  const prior = input.priorAttempts ?? 0;
  let outcome;
  try {
    outcome = await deps.graph.invoke({
      action: accepted.action,
      graphPath: accepted.route.graphPath,
      requestId: accepted.requestId,
      ...(accepted.action === 'checkin' && { body: checkinBody(accepted) }),
    });
  } catch (error) {
    // A bug or an unexpected library failure: still one result, never a lost request.
    const internal: ResultError = {
      code: 'internalError',
      message: `Unexpected failure while calling Graph: ${error instanceof Error ? error.name : 'unknown error'}`,
      retryable: true,
    };
    if (!input.finalAttempt) return { kind: 'retryLater', requestId: accepted.requestId, error: internal, attempts: prior };
    return completed(deps, receivedAt, { ...common, status: 'failed', error: internal, attempts: prior, ...base });
  }

  if (outcome.ok) {
    return completed(deps, receivedAt, { ...common, status: 'succeeded', httpStatus: outcome.status, attempts: prior + outcome.attempts, ...base });
  }
  const error = classifyGraphFailure(outcome.failure, accepted.action);
  if (error.code === 'locked' && accepted.action === 'checkout') await addCheckoutHolder(error, accepted, deps);
  const attempts = prior + outcome.attempts;
  if (error.retryable && !input.finalAttempt) {
    const retryAfterMs = outcome.failure.kind === 'http' ? outcome.failure.retryAfterMs : undefined;
    return { kind: 'retryLater', requestId: accepted.requestId, error, attempts, ...(retryAfterMs !== undefined && { retryAfterMs }) };
  }
  const httpStatus = outcome.failure.kind === 'http' ? outcome.failure.status : undefined;
  return completed(deps, receivedAt, {
    ...common,
    status: 'failed',
    ...(httpStatus !== undefined && { httpStatus }),
    error,
    attempts,
    ...base,
  });
}

/** Users ask who holds the file; Graph's refusal does not say, its list item does. */
async function addCheckoutHolder(error: ResultError, accepted: AcceptedRequest, deps: RunDependencies): Promise<void> {
  if (!deps.graph.checkoutHolder) return;
  const holder = await deps.graph.checkoutHolder(accepted.route.graphPath, accepted.requestId).catch(() => undefined);
  if (!holder) return;
  error.checkedOutBy = holder;
  const who = holder.displayName ? `${holder.displayName}${holder.email ? ` <${holder.email}>` : ''}` : `user #${holder.lookupId}`;
  error.message = `The file is checked out by ${who}. ${error.message}`;
}

function commonFields(accepted: AcceptedRequest) {
  const { request } = accepted;
  return {
    requestId: accepted.requestId,
    ...(request.correlationId !== undefined && { correlationId: request.correlationId }),
    action: accepted.action,
    variant: accepted.route.variant,
    graphPath: accepted.route.graphPath,
    ...(request.context !== undefined && { context: request.context }),
  };
}

function checkinBody(accepted: AcceptedRequest): { comment?: string; checkInAs?: 'published' } {
  const body: { comment?: string; checkInAs?: 'published' } = {};
  if (accepted.request.comment !== undefined) body.comment = accepted.request.comment;
  if (accepted.request.checkInAs !== undefined) body.checkInAs = accepted.request.checkInAs;
  return body;
}

type Draft = Omit<ResultMessage, 'completedAt' | 'durationMs'>;

function completed(deps: RunDependencies, receivedAt: Date, draft: Draft): RunOutcome {
  const completedAt = deps.now();
  const result: ResultMessage = {
    ...draft,
    completedAt: completedAt.toISOString(),
    durationMs: Math.max(0, completedAt.getTime() - receivedAt.getTime()),
  };
  // Keep field order stable and context last, so results read the same in every queue viewer.
  if (draft.context !== undefined) {
    delete result.context;
    result.context = draft.context;
  }
  return { kind: 'completed', result };
}
