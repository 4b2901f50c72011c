import type { TokenCredential } from '@azure/identity';

/**
 * Where the app's storage is, read the way the Functions host reads the `AzureWebJobsStorage`
 * connection: a connection string, or identity-based settings (`__queueServiceUri`,
 * `__tableServiceUri` or `__accountName`, with `__credential`/`__clientId`).
 */
export type StorageConnection =
  | { kind: 'connectionString'; connectionString: string }
  | { kind: 'identity'; queueServiceUri: string; tableServiceUri: string; clientId?: string };

// Azurite's documented, public development account; not a secret.
const DEVELOPMENT_STORAGE =
  'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;' +
  'AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tOtxlm3a4Ot3ym6oNd3UVJlowJEJg==;' +
  'BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;QueueEndpoint=http://127.0.0.1:10001/devstoreaccount1;' +
  'TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;';

export function readStorageConnection(env: Readonly<Record<string, string | undefined>>, name = 'AzureWebJobsStorage'): StorageConnection {
  const plain = env[name]?.trim();
  if (plain) {
    return { kind: 'connectionString', connectionString: plain === 'UseDevelopmentStorage=true' ? DEVELOPMENT_STORAGE : plain };
  }
  const account = env[`${name}__accountName`]?.trim();
  const queueServiceUri = env[`${name}__queueServiceUri`]?.trim() || (account ? `https://${account}.queue.core.windows.net` : undefined);
  const tableServiceUri = env[`${name}__tableServiceUri`]?.trim() || (account ? `https://${account}.table.core.windows.net` : undefined);
  if (!queueServiceUri || !tableServiceUri) {
    throw new Error(
      `${name} is not set: give a connection string, or ${name}__accountName (or both ${name}__queueServiceUri and ${name}__tableServiceUri) for an identity-based connection`,
    );
  }
  const clientId = env[`${name}__clientId`]?.trim();
  return { kind: 'identity', queueServiceUri, tableServiceUri, ...(clientId && { clientId }) };
}

export type CredentialFactory = (clientId?: string) => TokenCredential;
