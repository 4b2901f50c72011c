import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The queue settings the host applies, read from the deployed host.json, so the handler knows
 * which delivery is the last one (and must write a result instead of throwing).
 */
export interface HostQueueSettings {
  maxDequeueCount: number;
}

const HOST_DEFAULT_MAX_DEQUEUE_COUNT = 5;

export function readHostQueueSettings(startDir: string = __dirname): HostQueueSettings {
  const env = process.env['AzureFunctionsJobHost__extensions__queues__maxDequeueCount'];
  if (env !== undefined && /^\d+$/.test(env)) return { maxDequeueCount: Number(env) };
  // dist/src/app → app root in Azure; src/app → repo root in tests.
  let dir = startDir;
  for (let depth = 0; depth < 5; depth++) {
    const candidate = join(dir, 'host.json');
    if (existsSync(candidate)) {
      const json = JSON.parse(readFileSync(candidate, 'utf8')) as { extensions?: { queues?: { maxDequeueCount?: unknown } } };
      const value = json.extensions?.queues?.maxDequeueCount;
      return { maxDequeueCount: typeof value === 'number' && value >= 1 ? value : HOST_DEFAULT_MAX_DEQUEUE_COUNT };
    }
    dir = dirname(dir);
  }
  return { maxDequeueCount: HOST_DEFAULT_MAX_DEQUEUE_COUNT };
}
