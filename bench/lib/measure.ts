import { performance } from 'node:perf_hooks';

export interface Sample {
  wallMs: number;
  /** User + system CPU of this process; the emulators run elsewhere, so this is the client's alone. */
  cpuUs: number;
}

export async function measure(work: () => Promise<void>): Promise<Sample> {
  const cpuBefore = process.cpuUsage();
  const startedAt = performance.now();
  await work();
  const wallMs = performance.now() - startedAt;
  const cpu = process.cpuUsage(cpuBefore);
  return { wallMs, cpuUs: cpu.user + cpu.system };
}
