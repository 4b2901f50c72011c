/*
 * The emulators' own process. They answer every request the bench makes, so in the bench's
 * process they would put their CPU on the client's bill; here they don't, for the baseline
 * and for the app alike.
 */
import { startGraphEmulator, type GraphEmulator } from '../../test/support/graphEmulator';
import { startManagedIdentityEmulator } from '../../test/support/managedIdentityEmulator';
import { emulatorItemPath } from '../workload/items';
import type { GraphSetup, GraphStats, HostCommand, HostMessage } from './protocol';

/** The emulator keeps every call; folding them into counts keeps a long run's memory flat. */
const FOLD_EVERY_MS = 500;

interface RunningGraph {
  emulator: GraphEmulator;
  folded: { calls: number; byStatus: Record<string, number> };
  timer: NodeJS.Timeout;
}

function send(message: HostMessage): void {
  process.send?.(message);
}

function fold(graph: RunningGraph): void {
  const { calls } = graph.emulator;
  const pending = calls.filter((call) => call.status === 0);
  for (const call of calls) {
    if (call.status === 0) continue;
    graph.folded.calls++;
    graph.folded.byStatus[call.status] = (graph.folded.byStatus[call.status] ?? 0) + 1;
  }
  calls.length = 0;
  calls.push(...pending);
}

async function main(): Promise<void> {
  const identity = await startManagedIdentityEmulator();
  let graph: RunningGraph | undefined;

  const startGraph = async (setup: GraphSetup): Promise<string> => {
    if (graph) throw new Error('a Graph emulator is already running');
    const emulator: GraphEmulator = await startGraphEmulator({
      isValidToken: (token) => identity.isIssued(token, emulator.url),
      latencyMs: setup.latencyMs,
      ...(setup.rateLimitPerSecond !== undefined && { rateLimit: { perSecond: setup.rateLimitPerSecond, windowSeconds: setup.rateLimitWindowSeconds ?? 1 } }),
    });
    for (let i = 0; i < setup.items.count; i++) emulator.addItem(emulatorItemPath(setup.items, i));
    const running: RunningGraph = { emulator, folded: { calls: 0, byStatus: {} }, timer: setInterval(() => fold(running), FOLD_EVERY_MS) };
    graph = running;
    return emulator.url;
  };

  const graphStats = (): GraphStats => {
    if (!graph) throw new Error('no Graph emulator is running');
    fold(graph);
    // Calls still in flight count as made: they reached the emulator.
    const pending = graph.emulator.calls.length;
    return { calls: graph.folded.calls + pending, byStatus: { ...graph.folded.byStatus }, earlyRetries: graph.emulator.earlyRetries };
  };

  const stopGraph = async (): Promise<void> => {
    if (!graph) return;
    clearInterval(graph.timer);
    await graph.emulator.stop();
    graph = undefined;
  };

  process.on('message', (command: HostCommand) => {
    const handle = async (): Promise<unknown> => {
      switch (command.type) {
        case 'startGraph':
          return startGraph(command.setup);
        case 'graphStats':
          return graphStats();
        case 'stopGraph':
          return stopGraph();
      }
    };
    handle().then(
      (value) => send({ type: 'reply', id: command.id, ok: true, value }),
      (error: unknown) => send({ type: 'reply', id: command.id, ok: false, error: String(error) }),
    );
  });
  // The bench gone (finished or killed) means nothing will ever call again.
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready', identityEnv: identity.env });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
