import { output } from '@azure/functions';
import { config } from './settings';

/**
 * Queue names come from settings read in code rather than `%SETTING%` binding expressions,
 * so that an unset setting falls back to its documented default instead of failing indexing.
 */
export const STORAGE_CONNECTION = 'AzureWebJobsStorage';

export const requestsQueueOutput = output.storageQueue({ queueName: config.requestsQueue, connection: STORAGE_CONNECTION });
export const resultsQueueOutput = output.storageQueue({ queueName: config.resultsQueue, connection: STORAGE_CONNECTION });
