import type { ManagedIdentityEnv } from '../../test/support/managedIdentityEmulator';

/** Items the Graph emulator holds, so that every checkout the bench sends answers 204. */
export interface ItemSet {
  driveId: string;
  prefix: string;
  count: number;
}

export interface GraphSetup {
  latencyMs: number;
  rateLimitPerSecond?: number;
  rateLimitWindowSeconds?: number;
  items: ItemSet;
}

export interface GraphStats {
  calls: number;
  byStatus: Record<string, number>;
  earlyRetries: number;
}

export type HostRequest = { type: 'startGraph'; setup: GraphSetup } | { type: 'graphStats' } | { type: 'stopGraph' };

export type HostCommand = HostRequest & { id: number };

export type HostMessage =
  | { type: 'ready'; identityEnv: ManagedIdentityEnv }
  | { type: 'reply'; id: number; ok: true; value: unknown }
  | { type: 'reply'; id: number; ok: false; error: string };
