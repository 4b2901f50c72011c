import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// vitest compiles TypeScript its own way and forgives CommonJS/ESM mistakes that break the
// real Functions host; load what the host loads, with plain Node, as the host would.
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { main: string };
const main = `./${pkg.main}`;
const functionNames = readdirSync('src/functions')
  .filter((file) => file.endsWith('.ts'))
  .map((file) => file.slice(0, -'.ts'.length))
  .sort();
const plainEnv = { PATH: process.env['PATH'] ?? '' };

function node(args: string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...plainEnv, ...env } });
}

describe('compiled entry point (npm run build)', () => {
  it('is one bundled file that registers every function in src/functions', () => {
    expect(pkg.main).toBe('dist/main.js');
    const run = node(['-e', `require(${JSON.stringify(main)})`]);
    expect(run.status).toBe(0);
    // Outside the host the library says it skipped each registration, which proves the call ran.
    const registered = [...run.stderr.matchAll(/register function "(\w+)"/g)].map((m) => m[1]).sort();
    expect(registered).toEqual(functionNames);
  });

  it('loads no handler, zod or Azure SDK until a function runs', () => {
    const run = node(['-e', `require(${JSON.stringify(main)}); console.log(JSON.stringify(Object.keys(require.cache)))`]);
    expect(run.status).toBe(0);
    const loaded = JSON.parse(run.stdout.trim().split('\n').pop()!) as string[];
    const ours = loaded.filter((file) => !file.includes('node_modules'));
    expect(ours.map((file) => file.replace(/^.*[\\/]dist[\\/]/, 'dist/'))).toEqual(['dist/main.js']);
    expect(loaded.filter((file) => /node_modules[\\/](zod|@azure[\\/](identity|core-rest-pipeline|data-tables|storage-queue))[\\/]/.test(file))).toEqual([]);
  });

  it('finds every lazily loaded handler in tsc output', () => {
    const bundle = readFileSync(pkg.main, 'utf8');
    const lazy = [...bundle.matchAll(/require\("(\.\/src\/handlers\/\w+\.js)"\)/g)].map((m) => m[1]!);
    expect(lazy.map((path) => path.replace(/^.*\/(\w+)\.js$/, '$1')).sort()).toEqual(functionNames);
    for (const path of lazy) expect(existsSync(join('dist', path))).toBe(true);
  });

  it('runs a handler from the bundle: the OpenAPI document, through its registration', () => {
    // The library skips registering outside the host; catch the handler it was given instead.
    const script = `
      const { app, HttpRequest, InvocationContext } = require('@azure/functions');
      const handlers = {};
      app.http = (name, options) => { handlers[name] = options.handler; };
      app.storageQueue = app.timer = () => {};
      require(${JSON.stringify(main)});
      handlers.openApi(new HttpRequest({ method: 'GET', url: 'http://localhost:7071/api/openapi.json' }), new InvocationContext())
        .then((response) => console.log(response.status, JSON.stringify(JSON.parse(response.body)).slice(0, 40)));
    `;
    const run = node(['-e', script]);
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.stdout).toMatch(/^200 \{"swagger":"2\.0"/m);
  });

  it('loads from an ES module too (import of a CommonJS package)', () => {
    const run = node(['--input-type=module', '-e', `await import(${JSON.stringify(main)});`]);
    expect(run.status).toBe(0);
  });

  it('refuses to start with a bad setting, naming it', () => {
    const run = node(['-e', `require(${JSON.stringify(main)})`], { GRAPH_BASE_URL: 'http://graph.example.com' });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('GRAPH_BASE_URL must use https');
  });
});
