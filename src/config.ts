/**
 * Every setting the app reads, parsed once at start. A bad value stops the app with a message
 * that names the setting, instead of surfacing later as a confusing Graph or queue error.
 */
export interface AppConfig {
  requestsQueue: string;
  resultsQueue: string;
  idempotency: {
    /** Azure Table (on the AzureWebJobsStorage account) holding one record per requestId. */
    table: string;
    ttlMs: number;
  };
  /** First wait before a re-queued request runs again, when Graph gave no Retry-After. */
  retryBaseDelayMs: number;
  /** Hosts a request's callbackUrl may name (`*.domain` for subdomains). */
  callbackHosts: string[];
  graph: {
    /** Origin only, e.g. https://graph.microsoft.com; the token scope is `<origin>/.default`. */
    origin: string;
    apiVersion: 'v1.0' | 'beta';
    timeoutMs: number;
    retryBudgetMs: number;
    /** Client id of the user-assigned managed identity; absent means system-assigned. */
    clientId?: string;
  };
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Every setting, with its default; the README and local.settings.sample.json list the same. */
export const SETTINGS = {
  CHECKOUT_REQUESTS_QUEUE: 'checkout-requests',
  CHECKOUT_RESULTS_QUEUE: 'checkout-results',
  GRAPH_BASE_URL: 'https://graph.microsoft.com',
  GRAPH_API_VERSION: 'v1.0',
  GRAPH_TIMEOUT_MS: '30000',
  GRAPH_RETRY_BUDGET_MS: '20000',
  AZURE_CLIENT_ID: '',
  CHECKOUT_IDEMPOTENCY_TABLE: 'checkoutrequests',
  CHECKOUT_IDEMPOTENCY_TTL_HOURS: '24',
  CHECKOUT_RETRY_BASE_DELAY_MS: '5000',
  CALLBACK_ALLOWED_HOSTS: '*.logic.azure.com',
} as const;

type Env = Readonly<Record<string, string | undefined>>;

export function loadConfig(env: Env = process.env): AppConfig {
  const read = (name: keyof typeof SETTINGS): string => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? SETTINGS[name] : value;
  };
  const clientId = read('AZURE_CLIENT_ID');
  if (clientId !== '' && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(clientId)) {
    throw new ConfigError(`AZURE_CLIENT_ID must be the client id (a GUID) of the user-assigned managed identity, got "${clientId}"`);
  }
  const apiVersion = read('GRAPH_API_VERSION');
  if (apiVersion !== 'v1.0' && apiVersion !== 'beta') {
    throw new ConfigError(`GRAPH_API_VERSION must be v1.0 or beta, got "${apiVersion}"`);
  }
  const config: AppConfig = {
    requestsQueue: queueName('CHECKOUT_REQUESTS_QUEUE', read('CHECKOUT_REQUESTS_QUEUE')),
    resultsQueue: queueName('CHECKOUT_RESULTS_QUEUE', read('CHECKOUT_RESULTS_QUEUE')),
    idempotency: {
      table: tableName('CHECKOUT_IDEMPOTENCY_TABLE', read('CHECKOUT_IDEMPOTENCY_TABLE')),
      ttlMs: wholeNumber('CHECKOUT_IDEMPOTENCY_TTL_HOURS', read('CHECKOUT_IDEMPOTENCY_TTL_HOURS'), 1, 24 * 90, 'hours') * 3600_000,
    },
    retryBaseDelayMs: milliseconds('CHECKOUT_RETRY_BASE_DELAY_MS', read('CHECKOUT_RETRY_BASE_DELAY_MS'), 0, 3_600_000),
    callbackHosts: hostList('CALLBACK_ALLOWED_HOSTS', read('CALLBACK_ALLOWED_HOSTS')),
    graph: {
      origin: graphOrigin(read('GRAPH_BASE_URL')),
      apiVersion,
      timeoutMs: milliseconds('GRAPH_TIMEOUT_MS', read('GRAPH_TIMEOUT_MS'), 1000, 230_000),
      retryBudgetMs: milliseconds('GRAPH_RETRY_BUDGET_MS', read('GRAPH_RETRY_BUDGET_MS'), 0, 120_000),
    },
  };
  if (clientId !== '') config.graph.clientId = clientId;
  if (config.requestsQueue === config.resultsQueue) {
    throw new ConfigError('CHECKOUT_REQUESTS_QUEUE and CHECKOUT_RESULTS_QUEUE must differ, or results would be read back as requests');
  }
  return config;
}

function queueName(setting: string, value: string): string {
  // Azure Storage's rule: 3-63 lowercase letters, digits and single hyphens, alphanumeric at both ends.
  if (!/^[a-z0-9](?:[a-z0-9]|-(?!-)){1,61}[a-z0-9]$/.test(value)) {
    throw new ConfigError(`${setting} must be a valid queue name (3-63 lowercase letters, digits and single hyphens), got "${value}"`);
  }
  return value;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

function graphOrigin(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`GRAPH_BASE_URL must be a URL such as https://graph.microsoft.com, got "${value}"`);
  }
  // http only for a loopback emulator: the token must never cross a network in the clear.
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
    throw new ConfigError(`GRAPH_BASE_URL must use https (http is allowed only for loopback emulators), got "${value}"`);
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search !== '' || url.hash !== '' || url.username !== '') {
    throw new ConfigError(`GRAPH_BASE_URL must be an origin without path, e.g. https://graph.microsoft.com, got "${value}"`);
  }
  return url.origin;
}

function hostList(setting: string, value: string): string[] {
  if (value === 'none') return [];
  const hosts = value.split(',').map((h) => h.trim().toLowerCase()).filter((h) => h !== '');
  for (const host of hosts) {
    // A bare "*" or "*.com" would make the allowlist meaningless.
    if (!/^(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)+$|^localhost$|^\[::1\]$/.test(host) || /^\*\.[a-z0-9-]+$/.test(host)) {
      throw new ConfigError(`${setting} must be a comma-separated list of host names or *.domain.tld patterns (or none), got "${host}"`);
    }
  }
  return hosts;
}

function tableName(setting: string, value: string): string {
  if (!/^[A-Za-z][A-Za-z0-9]{2,62}$/.test(value)) {
    throw new ConfigError(`${setting} must be a valid table name (3-63 letters and digits, starting with a letter), got "${value}"`);
  }
  return value;
}

function milliseconds(setting: string, value: string, min: number, max: number): number {
  return wholeNumber(setting, value, min, max, 'milliseconds');
}

function wholeNumber(setting: string, value: string, min: number, max: number, unit: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`${setting} must be a whole number of ${unit} from ${min} to ${max}, got "${value}"`);
  }
  return n;
}
