import { fork } from 'node:child_process';

/**
 * A phase runs in a Node process of its own: the app reads its settings when it loads, each
 * phase needs different ones (another emulator, another retry budget), and a fresh process
 * gives the memory and CPU readings nothing left over from the phase before.
 */
type PhaseMessage<R> = { ok: true; result: R } | { ok: false; error: string };

export interface PhaseLaunch {
  /** The whole environment: the app must see the bench's settings and nothing from the shell. */
  env: Record<string, string>;
  execArgv?: string[];
}

export function runPhase<O, R>(script: string, options: O, launch: PhaseLaunch): Promise<R> {
  return new Promise((resolve, reject) => {
    const child = fork(script, [JSON.stringify(options)], {
      env: launch.env,
      execArgv: launch.execArgv ?? [],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let settled = false;
    child.once('message', (message: PhaseMessage<R>) => {
      settled = true;
      if (message.ok) resolve(message.result);
      else reject(new Error(`${script}: ${message.error}`));
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (!settled) reject(new Error(`${script} exited (${signal ?? code}) without a result`));
    });
  });
}

/** The child half: options from argv, one result back over IPC, then exit without draining. */
export function phaseMain<O, R>(run: (options: O) => Promise<R>): void {
  const options = JSON.parse(process.argv[2] ?? '{}') as O;
  // The bench gone means no one will read the result.
  process.on('disconnect', () => process.exit(1));
  const reply = (message: PhaseMessage<R>): void => {
    // Exit at once: a throttling run leaves requests mid-retry that must not be waited out.
    process.send?.(message, undefined, {}, () => process.exit(message.ok ? 0 : 1));
  };
  run(options).then(
    (result) => reply({ ok: true, result }),
    (error: unknown) => reply({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  );
}
