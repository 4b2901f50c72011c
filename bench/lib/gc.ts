/**
 * A full collection, twice, with a macrotask between, so objects freed by finalizers of the
 * first pass are gone too; RSS read right after then reflects what is still reachable.
 */
export async function collectGarbage(): Promise<void> {
  const gc = globalThis.gc;
  if (!gc) throw new Error('this phase needs node --expose-gc');
  gc();
  await new Promise((resolve) => setImmediate(resolve));
  gc();
}

export function canCollectGarbage(): boolean {
  return globalThis.gc !== undefined;
}
