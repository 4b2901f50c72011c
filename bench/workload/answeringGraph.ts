import type { RunDependencies } from '../../src/checkout/run';

/**
 * Graph that answers 204 at once, without I/O: what the run path costs with the transport
 * and the SDK pipeline taken out, which is the app's own code alone.
 */
export const answeringGraph: RunDependencies = {
  graph: { invoke: () => Promise.resolve({ ok: true, status: 204, attempts: 1, graphRequestId: 'answering-graph' }) },
  now: () => new Date(),
};
