import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config';

describe('settings', () => {
  it('default to the documented values', () => {
    expect(loadConfig({})).toEqual({
      requestsQueue: 'checkout-requests',
      resultsQueue: 'checkout-results',
      idempotency: { table: 'checkoutrequests', ttlMs: 24 * 3600_000 },
      retryBaseDelayMs: 5000,
      callbackHosts: ['*.logic.azure.com'],
      graph: { origin: 'https://graph.microsoft.com', apiVersion: 'v1.0', timeoutMs: 30000, retryBudgetMs: 20000 },
    });
  });

  it('accept a national cloud and a user-assigned identity', () => {
    const config = loadConfig({ GRAPH_BASE_URL: 'https://graph.microsoft.us/', GRAPH_API_VERSION: 'beta', AZURE_CLIENT_ID: '6e2b1c9a-4f1d-4a55-9d6e-3c1f0b7a2e11' });
    expect(config.graph).toMatchObject({ origin: 'https://graph.microsoft.us', apiVersion: 'beta', clientId: '6e2b1c9a-4f1d-4a55-9d6e-3c1f0b7a2e11' });
  });

  it.each([
    [{ GRAPH_BASE_URL: 'http://graph.microsoft.com' }, 'GRAPH_BASE_URL'],
    [{ GRAPH_BASE_URL: 'https://graph.microsoft.com/v1.0' }, 'GRAPH_BASE_URL'],
    [{ GRAPH_API_VERSION: 'v2' }, 'GRAPH_API_VERSION'],
    [{ GRAPH_TIMEOUT_MS: '5s' }, 'GRAPH_TIMEOUT_MS'],
    [{ GRAPH_RETRY_BUDGET_MS: '-1' }, 'GRAPH_RETRY_BUDGET_MS'],
    [{ CHECKOUT_REQUESTS_QUEUE: 'Checkout_Requests' }, 'CHECKOUT_REQUESTS_QUEUE'],
    [{ CHECKOUT_RESULTS_QUEUE: 'checkout-requests' }, 'CHECKOUT_RESULTS_QUEUE'],
    [{ AZURE_CLIENT_ID: 'my-identity' }, 'AZURE_CLIENT_ID'],
    [{ CHECKOUT_IDEMPOTENCY_TABLE: 'checkout-requests' }, 'CHECKOUT_IDEMPOTENCY_TABLE'],
    [{ CHECKOUT_IDEMPOTENCY_TTL_HOURS: '0' }, 'CHECKOUT_IDEMPOTENCY_TTL_HOURS'],
    [{ CHECKOUT_RETRY_BASE_DELAY_MS: '1e3' }, 'CHECKOUT_RETRY_BASE_DELAY_MS'],
    [{ CALLBACK_ALLOWED_HOSTS: '*' }, 'CALLBACK_ALLOWED_HOSTS'],
    [{ CALLBACK_ALLOWED_HOSTS: '*.com' }, 'CALLBACK_ALLOWED_HOSTS'],
  ])('refuse %o, naming %s', (env, name) => {
    expect(() => loadConfig(env)).toThrow(name);
  });
});
