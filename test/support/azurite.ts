import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { findFreePort, LOOPBACK } from './localServer';

export interface AzuriteOptions {
  /** Also start the table service (a second child process). */
  table?: boolean;
}

export interface AzuriteInstance {
  connectionString: string;
  queueEndpoint: string;
  tableEndpoint?: string;
  stop(): Promise<void>;
}

/** The emulator's published development account; not a secret. */
export const DEVSTORE_ACCOUNT = 'devstoreaccount1';
export const DEVSTORE_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

const STARTUP_TIMEOUT_MS = 15_000;
const PORT_RETRIES = 3;

/**
 * Preloaded into each Azurite child (as a data: URL, so no file to clean up). The parent
 * keeps the write end of the child's stdin open for its whole life, so the pipe closing
 * means the parent is gone (even after SIGKILL, where no exit hook runs) and the child
 * must not linger holding a port.
 */
const WATCHDOG = `data:text/javascript,${encodeURIComponent(
  "process.stdin.on('end', () => process.exit(0)); process.stdin.on('error', () => process.exit(0)); process.stdin.resume();"
)}`;

type Service = 'queue' | 'table';

interface RunningService {
  child: ChildProcess;
  port: number;
}

const liveChildren = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Covers a test file that forgets stop(): kill synchronously as the worker exits. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of liveChildren) child.kill('SIGKILL');
  });
}

function azuriteEntry(service: Service): string {
  const pkgDir = dirname(require.resolve('azurite/package.json'));
  return join(pkgDir, 'dist', 'src', service, 'main.js');
}

function waitForExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, LOOPBACK);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * The queue service reports its real port when given port 0, which avoids the free-port race;
 * the table service only echoes ":0" back, so it gets a pre-probed port instead.
 */
async function spawnService(service: Service): Promise<RunningService> {
  const requestedPort = service === 'queue' ? 0 : await findFreePort();
  const args = [
    '--import',
    WATCHDOG,
    azuriteEntry(service),
    `--${service}Host`,
    LOOPBACK,
    `--${service}Port`,
    String(requestedPort),
    '--inMemoryPersistence',
    '--silent',
    '--skipApiVersionCheck',
    '--loose',
    // Telemetry would try to reach the internet and write a config file into the cwd.
    '--disableTelemetry',
  ];
  // Azurite resolves its workspace from the cwd; with in-memory persistence and telemetry off it writes nothing there.
  const child = spawn(process.execPath, args, { cwd: tmpdir(), stdio: ['pipe', 'pipe', 'pipe'] });
  liveChildren.add(child);
  child.once('exit', () => liveChildren.delete(child));

  let output = '';
  const ready = new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`Azurite ${service} did not start within ${STARTUP_TIMEOUT_MS} ms:\n${output}`));
    }, STARTUP_TIMEOUT_MS);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      const listening = /successfully (?:listens on|started on) (?:https?:\/\/)?[\d.]+:(\d+)/.exec(output);
      if (listening) {
        clearTimeout(timer);
        const reported = Number(listening[1]);
        resolve(reported === 0 ? requestedPort : reported);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`Azurite ${service} exited early (code ${code}, signal ${signal}):\n${output}`));
    });
  });

  try {
    const port = await ready;
    if (!(await canConnect(port))) throw new Error(`Azurite ${service} reported port ${port} but refuses connections`);
    detachFromEventLoop(child);
    return { child, port };
  } catch (err) {
    child.kill('SIGKILL');
    await waitForExit(child);
    throw err;
  }
}

/**
 * After startup nothing in the parent needs the child's pipes; unref'ing them lets a test
 * worker that forgot stop() still exit (the exit hook and watchdog then end the child).
 */
function detachFromEventLoop(child: ChildProcess): void {
  child.stdout?.removeAllListeners('data');
  child.stdout?.resume();
  child.stderr?.removeAllListeners('data');
  child.stderr?.resume();
  for (const stream of [child.stdin, child.stdout, child.stderr]) {
    if (stream && 'unref' in stream && typeof stream.unref === 'function') stream.unref();
  }
  child.unref();
}

async function spawnWithRetry(service: Service): Promise<RunningService> {
  let lastError: unknown;
  for (let attempt = 0; attempt < PORT_RETRIES; attempt++) {
    try {
      return await spawnService(service);
    } catch (err) {
      lastError = err;
      if (!(err instanceof Error) || !/EADDRINUSE/.test(err.message)) throw err;
    }
  }
  throw lastError;
}

/** SIGKILL straight away: everything is in memory, so there is nothing to flush. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  // Re-ref so the wait below holds the event loop open until the exit is observed.
  child.ref();
  const exited = waitForExit(child);
  child.kill('SIGKILL');
  await exited;
}

export async function startAzurite(opts: AzuriteOptions = {}): Promise<AzuriteInstance> {
  installExitHook();
  const started: RunningService[] = [];
  const stopAll = async (): Promise<void> => {
    await Promise.all(started.map((s) => stopChild(s.child)));
  };

  try {
    // allSettled, so a failure of one service still lets us reap the other before rethrowing.
    const [queueResult, tableResult] = await Promise.allSettled([
      spawnWithRetry('queue'),
      opts.table ? spawnWithRetry('table') : Promise.resolve(undefined),
    ]);
    for (const r of [queueResult, tableResult]) if (r.status === 'fulfilled' && r.value) started.push(r.value);
    if (queueResult.status === 'rejected') throw queueResult.reason;
    if (tableResult.status === 'rejected') throw tableResult.reason;
    const queue = queueResult.value;
    const table = tableResult.value;
    const queueEndpoint = `http://${LOOPBACK}:${queue.port}/${DEVSTORE_ACCOUNT}`;
    const tableEndpoint = table ? `http://${LOOPBACK}:${table.port}/${DEVSTORE_ACCOUNT}` : undefined;
    const connectionString = [
      'DefaultEndpointsProtocol=http',
      `AccountName=${DEVSTORE_ACCOUNT}`,
      `AccountKey=${DEVSTORE_KEY}`,
      `QueueEndpoint=${queueEndpoint}`,
      ...(tableEndpoint ? [`TableEndpoint=${tableEndpoint}`] : []),
    ].join(';');

    let stopped: Promise<void> | undefined;
    return {
      connectionString,
      queueEndpoint,
      ...(tableEndpoint ? { tableEndpoint } : {}),
      stop: () => (stopped ??= stopAll()),
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
