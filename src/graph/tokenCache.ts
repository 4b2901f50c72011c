import type { TokenCredential } from '@azure/identity';

/** Raised when the managed identity cannot give a token; the message never holds a token. */
export class TokenUnavailableError extends Error {
  override readonly name = 'TokenUnavailableError';
}

const REFRESH_MARGIN_MS = 5 * 60 * 1000;

/**
 * Holds the app's Graph token for the process. The credential caches too, but asking it costs
 * an async hop and some CPU on every call; this keeps the hot path to a comparison, refreshes
 * early, and lets concurrent callers share one refresh.
 */
export class TokenCache {
  private token: { value: string; refreshAt: number } | undefined;
  private pending: Promise<string> | undefined;

  constructor(
    private readonly credential: TokenCredential,
    private readonly scope: string,
    private readonly now: () => number = Date.now,
  ) {}

  getToken(): Promise<string> {
    if (this.token && this.now() < this.token.refreshAt) return Promise.resolve(this.token.value);
    this.pending ??= this.refresh().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async refresh(): Promise<string> {
    let access;
    try {
      access = await this.credential.getToken(this.scope);
    } catch (error) {
      throw new TokenUnavailableError(describe(error));
    }
    if (!access) throw new TokenUnavailableError('the managed identity returned no token');
    const refreshAt = access.refreshAfterTimestamp ?? access.expiresOnTimestamp - REFRESH_MARGIN_MS;
    this.token = { value: access.token, refreshAt: Math.max(this.now(), refreshAt) };
    return access.token;
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return 'unknown error';
  // The identity library's messages name the endpoint and status; cut them to one line and
  // strip anything shaped like a bearer token, in case a future version echoes one.
  const firstLine = (error.message.split('\n')[0] ?? '').slice(0, 300);
  return `${error.name}: ${firstLine.replace(/(bearer\s+)[\w.~+/-]+=*/gi, '$1[redacted]')}`;
}
