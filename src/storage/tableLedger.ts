import { odata, TableClient, type TableEntityResult } from '@azure/data-tables';
import type { TokenCredential } from '@azure/identity';
import type { RequestLedger, RequestRecord, StoredRecord } from '../checkout/ledger';
import type { ResultMessage } from '../checkout/result';
import type { StorageConnection } from './connection';

const ROW_KEY = 'request';

interface RecordEntity {
  partitionKey: string;
  rowKey: string;
  state: RequestRecord['state'];
  attempts: number;
  deliveries: number;
  leaseUntil?: number;
  notBefore?: number;
  completedBy?: string;
  result?: string;
  updatedAt: number;
  expiresAt: number;
}

/**
 * The idempotency ledger in Azure Table storage: one entity per requestId (the partition key),
 * written with ETag conditions so two deliveries of one request cannot both claim it.
 */
export class TableRequestLedger implements RequestLedger {
  private ready: Promise<void> | undefined;

  constructor(private readonly client: TableClient) {}

  static create(connection: StorageConnection, tableName: string, credential: (clientId?: string) => TokenCredential): TableRequestLedger {
    const client =
      connection.kind === 'connectionString'
        ? TableClient.fromConnectionString(connection.connectionString, tableName, { allowInsecureConnection: isLoopback(connection.connectionString) })
        : new TableClient(connection.tableServiceUri, tableName, credential(connection.clientId));
    return new TableRequestLedger(client);
  }

  async get(requestId: string): Promise<StoredRecord | undefined> {
    await this.ensureTable();
    try {
      const entity = await this.client.getEntity<RecordEntity>(requestId, ROW_KEY);
      return { record: fromEntity(entity), etag: entity.etag };
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  async create(record: RequestRecord): Promise<string | undefined> {
    await this.ensureTable();
    try {
      return etagOf(await this.client.createEntity(toEntity(record)));
    } catch (error) {
      if (statusOf(error) === 409) return undefined;
      throw error;
    }
  }

  async replace(record: RequestRecord, etag: string): Promise<string | undefined> {
    await this.ensureTable();
    try {
      return etagOf(await this.client.updateEntity(toEntity(record), 'Replace', { etag }));
    } catch (error) {
      const status = statusOf(error);
      if (status === 412 || status === 404) return undefined;
      throw error;
    }
  }

  /**
   * Deletes records past their retention. Reads treat them as gone already; this only keeps
   * the table from growing with every requestId ever seen.
   */
  async purgeExpired(now: number): Promise<number> {
    await this.ensureTable();
    let deleted = 0;
    const expired = this.client.listEntities<{ partitionKey: string; rowKey: string }>({
      queryOptions: { filter: odata`expiresAt le ${now}`, select: ['PartitionKey', 'RowKey'] },
    });
    for await (const entity of expired) {
      try {
        await this.client.deleteEntity(entity.partitionKey, entity.rowKey);
        deleted++;
      } catch (error) {
        if (statusOf(error) !== 404) throw error;
      }
    }
    return deleted;
  }

  /** Provisioning creates the table in Azure; locally and in tests it may not exist yet. */
  private ensureTable(): Promise<void> {
    this.ready ??= this.client.createTable().catch((error: unknown) => {
      this.ready = undefined;
      if (statusOf(error) !== 409) throw error;
    });
    return this.ready;
  }
}

function toEntity(record: RequestRecord): RecordEntity {
  const entity: RecordEntity = {
    partitionKey: record.requestId,
    rowKey: ROW_KEY,
    state: record.state,
    attempts: record.attempts,
    deliveries: record.deliveries,
    updatedAt: record.updatedAt,
    expiresAt: record.expiresAt,
  };
  if (record.leaseUntil !== undefined) entity.leaseUntil = record.leaseUntil;
  if (record.notBefore !== undefined) entity.notBefore = record.notBefore;
  if (record.completedBy !== undefined) entity.completedBy = record.completedBy;
  if (record.result !== undefined) entity.result = JSON.stringify(record.result);
  return entity;
}

function fromEntity(entity: TableEntityResult<RecordEntity>): RequestRecord {
  const record: RequestRecord = {
    requestId: entity.partitionKey ?? '',
    state: entity.state,
    attempts: Number(entity.attempts),
    deliveries: Number(entity.deliveries),
    updatedAt: Number(entity.updatedAt),
    expiresAt: Number(entity.expiresAt),
  };
  if (entity.leaseUntil !== undefined) record.leaseUntil = Number(entity.leaseUntil);
  if (entity.notBefore !== undefined) record.notBefore = Number(entity.notBefore);
  if (entity.completedBy !== undefined) record.completedBy = entity.completedBy;
  if (entity.result !== undefined) record.result = JSON.parse(entity.result) as ResultMessage;
  return record;
}

function etagOf(response: { etag?: string }): string {
  // Every successful write answers with an ETag; without one the next conditional write must miss.
  return response.etag ?? '';
}

function statusOf(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null && 'statusCode' in error ? Number((error as { statusCode: unknown }).statusCode) : undefined;
}

function isLoopback(connectionString: string): boolean {
  return /Endpoint=http:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/i.test(connectionString);
}
