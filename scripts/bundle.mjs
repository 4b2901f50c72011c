// Part of `npm run build`, after tsc: bundles the function registrations into dist/main.js,
// the one file package.json's `main` names.
//
// The host loads `main` before it can answer anything, and on this machine every CommonJS
// file costs about a millisecond to resolve, read and compile; eight small files of ours
// were a quarter of the start-up time. One file costs one. What the registrations load
// lazily (the handlers, with zod and the Azure SDK behind them) stays out of the bundle and
// loads from tsc's output on first use, so there is still one copy of the runtime's state.
import { build } from 'esbuild';
import { readdirSync } from 'node:fs';
import { relative, resolve } from 'node:path';

const functions = readdirSync('src/functions')
  .filter((file) => file.endsWith('.ts'))
  .sort()
  .map((file) => `./functions/${file.slice(0, -'.ts'.length)}`);

/** `import('../handlers/x')` in src/functions → `require('./src/handlers/x.js')` from dist/main.js. */
const lazyImportsFromTscOutput = {
  name: 'lazy-imports-from-tsc-output',
  setup(bundle) {
    bundle.onResolve({ filter: /^\./ }, (args) => {
      if (args.kind !== 'dynamic-import') return undefined;
      // tsc mirrors the repo under dist/, and dist/main.js sits at its root.
      const source = relative('.', resolve(args.resolveDir, args.path)).replaceAll('\\', '/');
      return { path: `./${source}.js`, external: true };
    });
  },
};

await build({
  // Every file in src/functions, as the `dist/src/functions/*.js` glob used to load them.
  stdin: { contents: functions.map((path) => `import '${path}';`).join('\n'), resolveDir: 'src', sourcefile: 'src/main.ts', loader: 'ts' },
  bundle: true,
  packages: 'external',
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // As tsc compiles them: require() on first use, not Node's ESM loader.
  supported: { 'dynamic-import': false },
  outfile: 'dist/main.js',
  sourcemap: true,
  plugins: [lazyImportsFromTscOutput],
  logLevel: 'warning',
});
