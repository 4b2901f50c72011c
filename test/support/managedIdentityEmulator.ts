/*
 * Emulates the App Service / Functions managed-identity endpoint (IDENTITY_ENDPOINT +
 * IDENTITY_HEADER) as @azure/identity 4.13's ManagedIdentityCredential reaches it through
 * msal-node 3.8's AppService source:
 *   GET {IDENTITY_ENDPOINT}?api-version=2019-08-01&resource={scope minus "/.default"}
 *       [&client_id=… | &mi_res_id=… | &object_id=…]
 *   header X-IDENTITY-HEADER: {IDENTITY_HEADER}
 *   200 { access_token, expires_on: "<unix seconds as a string>", resource, token_type, client_id }
 *
 * HOW TESTS MUST SET THE ENVIRONMENT: msal-node keeps its chosen managed-identity source in a
 * static (ManagedIdentityClient.identitySource), created on the first token request in the
 * process with the IDENTITY_ENDPOINT/IDENTITY_HEADER values of that moment, and it keeps one
 * static token cache (ManagedIdentityApplication.nodeStorage) shared by every credential
 * instance. So, per test file (vitest runs each file in its own process):
 *   1. start ONE emulator in beforeAll and copy `env` into process.env before the first
 *      getToken anywhere in the file (before constructing the credential is safest);
 *   2. keep that emulator for the whole file: a second emulator on another port is never
 *      called, and tokens cached from the first are served without any request;
 *   3. use distinct clientIds or resources when a test needs a cold cache.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { closeServer, listenOnLoopback, LOOPBACK } from './localServer';

export interface ManagedIdentityEmulatorOptions {
  /** Lifetime written into expires_on. msal treats tokens within 5 min of expiry as expired. */
  tokenLifetimeSeconds?: number;
}

export interface ManagedIdentityEnv {
  IDENTITY_ENDPOINT: string;
  IDENTITY_HEADER: string;
}

export interface ManagedIdentityRequestRecord {
  resource?: string;
  /** client_id, or mi_res_id / object_id when a user-assigned identity is named that way. */
  clientId?: string;
  at: number;
}

export interface ManagedIdentityEmulator {
  env: ManagedIdentityEnv;
  issuedTokens: string[];
  requests: ManagedIdentityRequestRecord[];
  /** The next `count` token requests (with a correct header) get `status`; the credential itself retries 404/500/503. */
  failNext(count: number, status: number): void;
  /** Drops failures armed by failNext that have not happened yet. */
  clearFailures(): void;
  /** True if this emulator issued the token; with `resource`, only if issued for that resource. */
  isIssued(token: string, resource?: string): boolean;
  stop(): Promise<void>;
}

export const APP_SERVICE_MSI_API_VERSION = '2019-08-01';
const TOKEN_PATH = '/msi/token';
const DEFAULT_TOKEN_LIFETIME_SECONDS = 24 * 3600;

export function newOpaqueToken(prefix: string): string {
  return `${prefix}.${randomBytes(24).toString('base64url')}`;
}

/** The App Service endpoint's error shape; msal reads `message` as the error description. */
function sendError(res: ServerResponse, status: number, message: string): void {
  const body = JSON.stringify({ statusCode: status, message, correlationId: randomUUID() });
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(body);
}

export async function startManagedIdentityEmulator(
  opts: ManagedIdentityEmulatorOptions = {}
): Promise<ManagedIdentityEmulator> {
  const lifetime = opts.tokenLifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS;
  const secret = randomBytes(16).toString('hex');
  const systemAssignedClientId = randomUUID();
  const issuedTokens: string[] = [];
  const tokenResources = new Map<string, string>();
  const requests: ManagedIdentityRequestRecord[] = [];
  const pendingFailures: number[] = [];

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', `http://${LOOPBACK}`);
    if (url.pathname !== TOKEN_PATH) return sendError(res, 404, `No endpoint at ${url.pathname}`);
    if (req.method !== 'GET') return sendError(res, 405, `Method ${req.method ?? ''} not allowed`);
    if (req.headers['x-identity-header'] !== secret) {
      return sendError(res, 401, 'Missing or invalid X-IDENTITY-HEADER');
    }
    const resource = url.searchParams.get('resource') ?? undefined;
    const clientId =
      url.searchParams.get('client_id') ??
      url.searchParams.get('mi_res_id') ??
      url.searchParams.get('object_id') ??
      undefined;
    requests.push({
      ...(resource !== undefined ? { resource } : {}),
      ...(clientId !== undefined ? { clientId } : {}),
      at: Date.now(),
    });

    const failure = pendingFailures.shift();
    if (failure !== undefined) return sendError(res, failure, `Injected failure ${failure}`);
    if (url.searchParams.get('api-version') !== APP_SERVICE_MSI_API_VERSION) {
      return sendError(res, 400, `Unsupported api-version ${url.searchParams.get('api-version') ?? ''}`);
    }
    if (!resource) return sendError(res, 400, 'The resource parameter is required');

    const token = newOpaqueToken('mi');
    issuedTokens.push(token);
    tokenResources.set(token, resource);
    const expiresOn = Math.floor(Date.now() / 1000) + lifetime;
    res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
    res.end(
      JSON.stringify({
        access_token: token,
        // App Service sends unix seconds as a string; msal subtracts "now" from it.
        expires_on: String(expiresOn),
        resource,
        token_type: 'Bearer',
        client_id: url.searchParams.get('client_id') ?? systemAssignedClientId,
      })
    );
  };

  const server = createServer(handle);
  const port = await listenOnLoopback(server);

  return {
    env: { IDENTITY_ENDPOINT: `http://${LOOPBACK}:${port}${TOKEN_PATH}`, IDENTITY_HEADER: secret },
    issuedTokens,
    requests,
    failNext(count, status) {
      for (let i = 0; i < count; i++) pendingFailures.push(status);
    },
    clearFailures() {
      pendingFailures.length = 0;
    },
    isIssued(token, resource) {
      const issuedFor = tokenResources.get(token);
      if (issuedFor === undefined) return false;
      return resource === undefined || issuedFor === resource.replace(/\/\.default$/, '');
    },
    stop: () => closeServer(server),
  };
}
