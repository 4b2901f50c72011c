/**
 * Runs `total` tasks with at most `concurrency` in flight. Each slot starts its next task as
 * soon as the previous settles, which is how a queue listener or a busy HTTP front keeps a
 * fixed number of invocations running.
 */
export async function runPool(total: number, concurrency: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const slot = async (): Promise<void> => {
    while (next < total) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, slot));
}
