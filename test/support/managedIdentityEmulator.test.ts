import { ManagedIdentityCredential } from '@azure/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startManagedIdentityEmulator, type ManagedIdentityEmulator } from './managedIdentityEmulator';

const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

describe('managed identity emulator', () => {
  let mi: ManagedIdentityEmulator;
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    mi = await startManagedIdentityEmulator();
    // Must happen before the first getToken in this process: msal-node pins its source statically.
    process.env.IDENTITY_ENDPOINT = mi.env.IDENTITY_ENDPOINT;
    process.env.IDENTITY_HEADER = mi.env.IDENTITY_HEADER;
    // Any of these would make @azure/identity or msal pick another source.
    for (const name of ['AZURE_FEDERATED_TOKEN_FILE', 'IDENTITY_SERVER_THUMBPRINT', 'MSI_ENDPOINT', 'IMDS_ENDPOINT']) {
      delete process.env[name];
    }
  });

  afterAll(async () => {
    process.env = savedEnv;
    await mi.stop();
  });

  it('serves the real ManagedIdentityCredential a Graph token for a user-assigned client id', async () => {
    const credential = new ManagedIdentityCredential({ clientId: 'client-graph' });
    const token = await credential.getToken(GRAPH_SCOPE);

    expect(token.token).toMatch(/^mi\.[A-Za-z0-9_-]{32}$/);
    expect(token.tokenType).toBe('Bearer');
    expect(mi.isIssued(token.token)).toBe(true);
    expect(mi.isIssued(token.token, 'https://graph.microsoft.com')).toBe(true);
    expect(mi.isIssued(token.token, 'https://vault.azure.net')).toBe(false);
    expect(token.expiresOnTimestamp).toBeGreaterThan(Date.now() + 23 * 3600_000);
    expect(mi.requests.at(-1)).toMatchObject({ resource: 'https://graph.microsoft.com', clientId: 'client-graph' });
  });

  it('maps a loopback scope to its resource and then answers from the credential cache', async () => {
    const origin = new URL(mi.env.IDENTITY_ENDPOINT).origin;
    const credential = new ManagedIdentityCredential({ clientId: 'client-loopback' });
    const before = mi.requests.length;

    const first = await credential.getToken(`${origin}/.default`);
    expect(mi.requests.length).toBe(before + 1);
    expect(mi.requests.at(-1)).toMatchObject({ resource: origin, clientId: 'client-loopback' });
    expect(mi.isIssued(first.token, origin)).toBe(true);

    const second = await credential.getToken(`${origin}/.default`);
    expect(second.token).toBe(first.token);
    expect(mi.requests.length).toBe(before + 1);

    // msal's token cache is static, so even a fresh credential instance is served from it.
    const third = await new ManagedIdentityCredential({ clientId: 'client-loopback' }).getToken(`${origin}/.default`);
    expect(third.token).toBe(first.token);
    expect(mi.requests.length).toBe(before + 1);
  });

  it('rejects a missing or wrong X-IDENTITY-HEADER with 401', async () => {
    const url = `${mi.env.IDENTITY_ENDPOINT}?api-version=2019-08-01&resource=https://graph.microsoft.com`;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { 'X-IDENTITY-HEADER': 'nope' } })).status).toBe(401);
    const ok = await fetch(url, { headers: { 'X-IDENTITY-HEADER': mi.env.IDENTITY_HEADER } });
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['access_token', 'client_id', 'expires_on', 'resource', 'token_type']);
    expect(body.expires_on).toMatch(/^\d+$/);
  });

  it('fails injected requests, surfacing the error through the credential, then recovers', async () => {
    const credential = new ManagedIdentityCredential({ clientId: 'client-flaky' });
    mi.failNext(1, 400);
    await expect(credential.getToken(GRAPH_SCOPE)).rejects.toThrow(/Injected failure 400/);
    const token = await credential.getToken(GRAPH_SCOPE);
    expect(mi.isIssued(token.token, GRAPH_SCOPE)).toBe(true);
  });

  it('honours tokenLifetimeSeconds in expires_on', async () => {
    const shortLived = await startManagedIdentityEmulator({ tokenLifetimeSeconds: 60 });
    try {
      const res = await fetch(`${shortLived.env.IDENTITY_ENDPOINT}?api-version=2019-08-01&resource=r`, {
        headers: { 'X-IDENTITY-HEADER': shortLived.env.IDENTITY_HEADER },
      });
      const body = (await res.json()) as { expires_on: string; client_id: string };
      const remaining = Number(body.expires_on) - Date.now() / 1000;
      expect(remaining).toBeGreaterThan(55);
      expect(remaining).toBeLessThanOrEqual(60);
      expect(body.client_id).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      await shortLived.stop();
    }
  });

  it('demonstrates the documented caveat: msal keeps calling the first endpoint it saw', async () => {
    const other = await startManagedIdentityEmulator();
    try {
      process.env.IDENTITY_ENDPOINT = other.env.IDENTITY_ENDPOINT;
      process.env.IDENTITY_HEADER = other.env.IDENTITY_HEADER;
      const token = await new ManagedIdentityCredential({ clientId: 'client-late' }).getToken(GRAPH_SCOPE);
      expect(mi.isIssued(token.token)).toBe(true);
      expect(other.requests).toHaveLength(0);
    } finally {
      process.env.IDENTITY_ENDPOINT = mi.env.IDENTITY_ENDPOINT;
      process.env.IDENTITY_HEADER = mi.env.IDENTITY_HEADER;
      await other.stop();
    }
  });
});
