/** A mistake on the command line: shown as is, without a stack. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const PHASES = ['coldstart', 'overhead', 'throttling', 'memory'] as const;
export type PhaseName = (typeof PHASES)[number];

export interface BenchFlags {
  /** Memory phase: requests between the two RSS readings. */
  requests: number;
  memoryConcurrency: number;
  /** Overhead phase. */
  latencyMs: number;
  concurrency: number[];
  rounds: number;
  overheadRequests: number;
  /** Throttling phase. */
  rateLimit: number;
  throttleWindow: number;
  throttleSeconds: number;
  throttleConcurrency: number;
  /** Cold-start phase. */
  coldRuns: number;
  only: PhaseName[];
  /** Also print the table as Markdown, for the README. */
  markdown: boolean;
  help: boolean;
}

type ValuedFlag = Exclude<keyof BenchFlags, 'help' | 'markdown'>;

interface FlagSpec {
  key: ValuedFlag;
  help: string;
  parse: (text: string) => BenchFlags[ValuedFlag];
}

const positive = (text: string): number => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`expected a whole number ≥ 1, got "${text}"`);
  return n;
};
const positiveList = (text: string): number[] => text.split(',').map((part) => positive(part.trim()));
const phaseList = (text: string): PhaseName[] =>
  text.split(',').map((part) => {
    const name = part.trim().toLowerCase();
    if (!(PHASES as readonly string[]).includes(name)) throw new Error(`unknown phase "${part}" (phases: ${PHASES.join(', ')})`);
    return name as PhaseName;
  });

const SPECS: Record<string, FlagSpec> = {
  '--requests': { key: 'requests', help: 'memory: requests between the RSS readings', parse: positive },
  '--memory-concurrency': { key: 'memoryConcurrency', help: 'memory: requests in flight', parse: positive },
  '--latency-ms': { key: 'latencyMs', help: 'overhead: emulated Graph latency', parse: positive },
  '--concurrency': { key: 'concurrency', help: 'overhead: comma-separated levels', parse: positiveList },
  '--rounds': { key: 'rounds', help: 'overhead: rounds of fetch, node:http and app runs per level', parse: positive },
  '--overhead-requests': { key: 'overheadRequests', help: 'overhead: requests per run at concurrency 16 (scaled by level, ≥ 40)', parse: positive },
  '--rate-limit': { key: 'rateLimit', help: 'throttling: emulated Graph limit, calls per second', parse: positive },
  '--throttle-window': { key: 'throttleWindow', help: 'throttling: seconds the limiter counts over (the limit is rate × window)', parse: positive },
  '--throttle-seconds': { key: 'throttleSeconds', help: 'throttling: measured window', parse: positive },
  '--throttle-concurrency': { key: 'throttleConcurrency', help: 'throttling: requests in flight (demand)', parse: positive },
  '--cold-runs': { key: 'coldRuns', help: 'cold start: fresh node processes per compared set', parse: positive },
  '--only': { key: 'only', help: `phases to run, comma-separated (${PHASES.join(', ')})`, parse: phaseList },
};

export const DEFAULT_FLAGS: BenchFlags = {
  requests: 20_000,
  memoryConcurrency: 16,
  latencyMs: 20,
  concurrency: [1, 16, 64],
  rounds: 4,
  overheadRequests: 400,
  rateLimit: 100,
  throttleWindow: 5,
  throttleSeconds: 15,
  throttleConcurrency: 200,
  coldRuns: 21,
  only: [...PHASES],
  markdown: false,
  help: false,
};

export function parseFlags(argv: readonly string[]): BenchFlags {
  const flags: BenchFlags = { ...DEFAULT_FLAGS, concurrency: [...DEFAULT_FLAGS.concurrency], only: [...DEFAULT_FLAGS.only] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      flags.help = true;
      continue;
    }
    if (arg === '--markdown') {
      flags.markdown = true;
      continue;
    }
    const [name, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const spec = SPECS[name];
    if (!spec) throw new UsageError(`unknown option ${arg}\n${usage()}`);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new UsageError(`${name} needs a value`);
    try {
      Object.assign(flags, { [spec.key]: spec.parse(value) });
    } catch (error) {
      throw new UsageError(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return flags;
}

export function usage(): string {
  const lines = Object.entries(SPECS).map(([name, spec]) => {
    const fallback = DEFAULT_FLAGS[spec.key];
    return `  ${name.padEnd(24)} ${spec.help} (default ${Array.isArray(fallback) ? fallback.join(',') : String(fallback)})`;
  });
  lines.push(`  ${'--markdown'.padEnd(24)} also print the table as Markdown`);
  return ['usage: npm run bench -- [options]', ...lines].join('\n');
}
