/**
 * Every setting the app reads, parsed once at start. A bad value stops the app with a message
 * that names the setting, instead of surfacing later as a confusing Graph or queue error.
 */
export interface AppConfig {
  requestsQueue: string;
  resultsQueue: string;
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

function milliseconds(setting: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`${setting} must be a whole number of milliseconds from ${min} to ${max}, got "${value}"`);
  }
  return n;
}
