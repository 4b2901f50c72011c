import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { ManagedIdentityEnv } from '../../test/support/managedIdentityEmulator';
import type { GraphSetup, GraphStats, HostCommand, HostMessage, HostRequest } from './protocol';

export interface EmulatorHost {
  identityEnv: ManagedIdentityEnv;
  /** Returns the emulator's origin. One at a time: a phase owns it until stopGraph. */
  startGraph(setup: GraphSetup): Promise<string>;
  graphStats(): Promise<GraphStats>;
  stopGraph(): Promise<void>;
  close(): void;
}

export async function startEmulatorHost(): Promise<EmulatorHost> {
  const child: ChildProcess = fork(join(__dirname, 'host.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 1;

  const identityEnv = await new Promise<ManagedIdentityEnv>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      const error = new Error(`emulator host exited (${code})`);
      reject(error);
      for (const waiter of waiting.values()) waiter.reject(error);
      waiting.clear();
    });
    child.on('message', (message: HostMessage) => {
      if (message.type === 'ready') return resolve(message.identityEnv);
      const waiter = waiting.get(message.id);
      waiting.delete(message.id);
      if (message.ok) waiter?.resolve(message.value);
      else waiter?.reject(new Error(`emulator host: ${message.error}`));
    });
  });

  const call = <T>(request: HostRequest): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const command: HostCommand = { ...request, id: nextId++ };
      waiting.set(command.id, { resolve: (value) => resolve(value as T), reject });
      child.send(command);
    });

  return {
    identityEnv,
    startGraph: (setup) => call<string>({ type: 'startGraph', setup }),
    graphStats: () => call<GraphStats>({ type: 'graphStats' }),
    stopGraph: () => call<void>({ type: 'stopGraph' }),
    close: () => {
      child.removeAllListeners('exit');
      child.disconnect();
    },
  };
}
