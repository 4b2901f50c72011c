/*
 * Run in a fresh `node` per measurement: loads the modules named on the command line, as the
 * Functions worker loads the entry points, and reports what that cost. Only Node built-ins
 * are loaded before the clock starts.
 */
// Outside the host, @azure/functions warns on stderr; creating that stream would be billed to
// the app, while the worker has its streams long before it loads the app.
void process.stderr;
const startedAt = process.hrtime.bigint();
const cpuBefore = process.cpuUsage();
const rssBeforeBytes = process.memoryUsage.rss();

interface Registration {
  method: string;
  name: string;
  options: Record<string, unknown>;
}
type AppApi = Record<string, (name: string, options: Record<string, unknown>) => void>;

// Recording: which functions the entry points register, and how, with the handlers left out.
const recorded: Registration[] = [];
if (process.env['BENCH_RECORD_REGISTRATIONS'] === '1') {
  const app = (require('@azure/functions') as { app: AppApi }).app;
  for (const method of ['http', 'storageQueue', 'timer', 'generic']) {
    app[method] = (name, options) => {
      const { handler: _handler, ...rest } = options;
      recorded.push({ method, name, options: rest });
    };
  }
}

for (const id of process.argv.slice(2)) require(id);

// Replaying: the same registrations with empty handlers, i.e. what any app of this shape pays
// @azure/functions for registering its functions, so that is not billed to our code.
const replay = process.env['BENCH_REPLAY_REGISTRATIONS'];
if (replay) {
  const app = (require('@azure/functions') as { app: AppApi }).app;
  for (const { method, name, options } of JSON.parse(replay) as Registration[]) app[method]!(name, { ...options, handler: async () => undefined });
}

const loadMs = Number(process.hrtime.bigint() - startedAt) / 1e6;
const cpu = process.cpuUsage(cpuBefore);
const usage = process.memoryUsage();
const files = Object.keys(require.cache);
/** The package a loaded file belongs to: the name after its last node_modules/. */
const packageOf = (file: string): string | undefined => {
  const rest = file.split(/[\\/]node_modules[\\/]/).slice(1).pop();
  if (rest === undefined) return undefined;
  const parts = rest.split(/[\\/]/);
  return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
};
const result = {
  loadMs,
  loadCpuMs: (cpu.user + cpu.system) / 1000,
  rssBeforeBytes,
  rssAfterBytes: usage.rss,
  heapUsedBytes: usage.heapUsed,
  modules: files.length,
  packages: [...new Set(files.map(packageOf).filter((name): name is string => name !== undefined))].sort(),
  registrations: recorded,
};
// Last line of stdout; libraries may print their own lines before it.
process.stdout.write(`\nBENCH_PROBE ${JSON.stringify(result)}\n`);
