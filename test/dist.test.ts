import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

// vitest compiles TypeScript its own way and forgives CommonJS/ESM mistakes that break the
// real Functions host; load what the host loads, with plain Node, as the host would.
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { main: string };
// Node 20 has no fs.glob; the main field is one folder and a `*.js` pattern.
const entryPoints = readdirSync(dirname(pkg.main))
  .filter((file) => file.endsWith('.js'))
  .map((file) => join(dirname(pkg.main), file))
  .sort();

describe('compiled entry points (npm run build)', () => {
  it('exist for every function', () => {
    expect(entryPoints).toEqual([
      'dist/src/functions/checkoutHttp.js',
      'dist/src/functions/checkoutQueue.js',
      'dist/src/functions/checkoutStatus.js',
      'dist/src/functions/openApi.js',
      'dist/src/functions/purgeExpiredRequests.js',
    ]);
  });

  it.each(entryPoints)('%s loads with plain Node and registers its function', (file) => {
    const run = spawnSync(process.execPath, ['-e', `require(${JSON.stringify('./' + file)})`], {
      encoding: 'utf8',
      env: { PATH: process.env['PATH'] ?? '' },
    });
    expect(run.status).toBe(0);
    const name = file.replace(/^.*\/(\w+)\.js$/, '$1');
    // Outside the host the library says it skipped registration, which proves the call ran.
    expect(run.stderr).toContain(`register function "${name}"`);
  });

  it('load from an ES module too (import of a CommonJS package)', () => {
    const script = entryPoints.map((file) => `await import(${JSON.stringify('./' + file)});`).join('');
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '' } });
    expect(run.status).toBe(0);
  });

  it('refuse to start with a bad setting, naming it', () => {
    const run = spawnSync(process.execPath, ['-e', `require('./${entryPoints[0]}')`], {
      encoding: 'utf8',
      env: { PATH: process.env['PATH'] ?? '', GRAPH_BASE_URL: 'http://graph.example.com' },
    });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('GRAPH_BASE_URL must use https');
  });
});
