import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import type { MessageEncoding } from './queueEncoding';

/** The queue-extension settings the host double acts on, with the Functions host's defaults applied. */
export interface QueueHostSettings {
  maxDequeueCount: number;
  visibilityTimeoutMs: number;
  messageEncoding: MessageEncoding;
  batchSize: number;
  /** Where the values came from, for failure messages. */
  source: string;
}

export const DEFAULT_HOST_JSON_PATH = resolve(__dirname, '..', '..', 'host.json');

/** Storage queues extension 5.x defaults, used for anything host.json leaves out. */
export const QUEUE_DEFAULTS = {
  maxDequeueCount: 5,
  visibilityTimeoutMs: 0,
  messageEncoding: 'base64',
  batchSize: 16,
} as const satisfies Omit<QueueHostSettings, 'source'>;

const TIMESPAN = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?$/;

/** Parses a .NET TimeSpan string ("00:00:30", "1.02:00:00", "00:00:00.500") into milliseconds. */
export function parseTimeSpan(value: string): number {
  const m = TIMESPAN.exec(value.trim());
  if (!m) throw new Error(`not a TimeSpan: ${JSON.stringify(value)}`);
  const [, days = '0', hours = '0', minutes = '0', seconds = '0', fraction = ''] = m;
  const ms = Number(`0.${fraction || '0'}`) * 1000;
  return ((Number(days) * 24 + Number(hours)) * 60 + Number(minutes)) * 60_000 + Number(seconds) * 1000 + Math.round(ms);
}

const queuesSchema = z.looseObject({
  maxDequeueCount: z.number().int().min(1).optional(),
  visibilityTimeout: z.string().refine((v) => TIMESPAN.test(v.trim()), 'expected a TimeSpan like "00:00:30"').optional(),
  // The host parses the enum case-insensitively.
  messageEncoding: z
    .string()
    .transform((v) => v.toLowerCase())
    .pipe(z.enum(['base64', 'none']))
    .optional(),
  batchSize: z.number().int().min(1).max(32).optional(),
});

const hostJsonSchema = z.looseObject({
  extensions: z.looseObject({ queues: queuesSchema.optional() }).optional(),
});

/**
 * App settings named `AzureFunctionsJobHost__extensions__queues__<name>` override host.json
 * in the real host (keys compare case-insensitively), and the app's own code reads them too.
 */
const ENV_OVERRIDE_PREFIX = 'azurefunctionsjobhost__extensions__queues__';
const NUMERIC_SETTINGS = new Set(['maxdequeuecount', 'batchsize']);
const KNOWN_SETTINGS = ['maxDequeueCount', 'visibilityTimeout', 'messageEncoding', 'batchSize'] as const;

function envOverrides(env: NodeJS.ProcessEnv): Record<string, string | number> {
  const overrides: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined || !key.toLowerCase().startsWith(ENV_OVERRIDE_PREFIX)) continue;
    const name = key.slice(ENV_OVERRIDE_PREFIX.length).toLowerCase();
    const setting = KNOWN_SETTINGS.find((k) => k.toLowerCase() === name);
    if (!setting) continue;
    overrides[setting] = NUMERIC_SETTINGS.has(name) && /^\d+$/.test(value.trim()) ? Number(value) : value;
  }
  return overrides;
}

function settingsFrom(raw: unknown, source: string, env: NodeJS.ProcessEnv): QueueHostSettings {
  const parsed = hostJsonSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`${source} has invalid extensions.queues settings: ${z.prettifyError(parsed.error)}`);
  const overrides = envOverrides(env);
  const withOverrides = queuesSchema.safeParse({ ...(parsed.data.extensions?.queues ?? {}), ...overrides });
  if (!withOverrides.success) {
    throw new Error(`AzureFunctionsJobHost__extensions__queues__* settings are invalid: ${z.prettifyError(withOverrides.error)}`);
  }
  const queues = withOverrides.data;
  return {
    maxDequeueCount: queues.maxDequeueCount ?? QUEUE_DEFAULTS.maxDequeueCount,
    visibilityTimeoutMs:
      queues.visibilityTimeout !== undefined ? parseTimeSpan(queues.visibilityTimeout) : QUEUE_DEFAULTS.visibilityTimeoutMs,
    messageEncoding: queues.messageEncoding ?? QUEUE_DEFAULTS.messageEncoding,
    batchSize: queues.batchSize ?? QUEUE_DEFAULTS.batchSize,
    source: Object.keys(overrides).length > 0 ? `${source} + environment overrides` : source,
  };
}

/** `env` supplies AzureFunctionsJobHost__extensions__queues__* overrides; none by default. */
export function parseHostJson(text: string, source: string, env: NodeJS.ProcessEnv = {}): QueueHostSettings {
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new Error(`${source} is not valid JSON: ${String(err)}`);
  }
  return settingsFrom(raw, source, env);
}

/**
 * Reads host.json plus the process's override settings, as the host does at startup. Without
 * an explicit path a missing file means host defaults, as for the real host; an explicit path
 * that does not exist is a test bug and throws.
 */
export function readHostJson(path?: string, env: NodeJS.ProcessEnv = process.env): QueueHostSettings {
  const file = path ?? DEFAULT_HOST_JSON_PATH;
  if (path === undefined && !existsSync(file)) return settingsFrom({}, `defaults (no ${file})`, env);
  return parseHostJson(readFileSync(file, 'utf8'), file, env);
}
