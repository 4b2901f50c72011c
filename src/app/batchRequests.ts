import type { HttpResponseInit } from '@azure/functions';
import { interpretRequest, type InterpretOptions, type RejectionCode } from '../checkout/interpret';
import type { Problem } from '../checkout/problems';
import { problem, problemResponse } from './problemDetails';
import { locateProblems, type EnvelopeItem } from './webhookEnvelope';

export type BatchItemAnswer =
  | { index: number; requestId: string; status: 'accepted' }
  | { index: number; requestId: string; status: 'rejected'; code: RejectionCode; problems: Problem[] };

export interface BatchAnswer {
  accepted: number;
  rejected: number;
  items: BatchItemAnswer[];
}

export interface BatchOutcome {
  /** One requests-queue message per accepted item, in body order. */
  messages: string[];
  answer: BatchAnswer;
  response: HttpResponseInit;
}

/**
 * Each item is judged alone, so one bad request does not hold back the others. The answer is
 * 202 when at least one item was queued (the caller reads `items` for the rest), and a 400
 * problem when none was, so a sender that only looks at the status still sees total failure.
 */
export function interpretBatch(items: readonly EnvelopeItem[], options: InterpretOptions): BatchOutcome {
  const messages: string[] = [];
  const answers: BatchItemAnswer[] = [];
  const seen = new Map<string, number>();
  items.forEach((item, index) => {
    if (!item.content.ok) {
      answers.push({ index, requestId: options.newRequestId(), status: 'rejected', code: 'invalidRequest', problems: item.content.problems });
      return;
    }
    const interpretation = interpretRequest(item.content.request, options);
    if (!interpretation.ok) {
      const { rejected } = interpretation;
      answers.push({ index, requestId: rejected.requestId, status: 'rejected', code: rejected.code, problems: locateProblems(rejected.problems, item.pointer) });
      return;
    }
    const { accepted } = interpretation;
    const first = seen.get(accepted.requestId);
    if (first !== undefined) {
      // Two items with one requestId would give one of them no result of its own.
      const detail = `repeats the requestId of item ${first}; every request in a batch needs its own`;
      answers.push({ index, requestId: accepted.requestId, status: 'rejected', code: 'invalidRequest', problems: [{ pointer: `${item.pointer}/requestId`, detail }] });
      return;
    }
    seen.set(accepted.requestId, index);
    messages.push(JSON.stringify(accepted.request));
    answers.push({ index, requestId: accepted.requestId, status: 'accepted' });
  });

  const answer: BatchAnswer = { accepted: messages.length, rejected: answers.length - messages.length, items: answers };
  if (messages.length > 0) {
    return { messages, answer, response: { status: 202, headers: { 'content-type': 'application/json; charset=utf-8' }, jsonBody: answer } };
  }
  const detail = `None of the ${answers.length} requests in the batch was accepted; see items for each one's problems.`;
  return { messages, answer, response: problemResponse({ ...problem(400, 'invalidRequest', 'Invalid checkout requests', detail), ...answer }) };
}

