// `npm run soak [-- <requests>]`: the fault-injection test of `npm test`, run larger.
import { spawnSync } from 'node:child_process';

const requests = process.argv[2] ?? process.env.SOAK_REQUESTS ?? '500';
if (!/^\d+$/.test(requests)) {
  console.error(`usage: npm run soak -- <number of requests>   (got "${requests}")`);
  process.exit(2);
}
console.log(`soak: ${requests} requests through the fault-injection test`);
const run = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', 'test/functions/faults.test.ts'], {
  stdio: 'inherit',
  env: { ...process.env, SOAK_REQUESTS: requests },
});
process.exit(run.status ?? 1);
