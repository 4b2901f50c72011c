import {
  HttpRequest,
  InvocationContext,
  output,
  trigger,
  type FunctionOutput,
  type HttpHandler,
  type LogLevel,
  type StorageQueueHandler,
} from '@azure/functions';
import { QueueServiceClient, type DequeuedMessageItem, type QueueClient } from '@azure/storage-queue';
import { randomUUID } from 'node:crypto';
import { format } from 'node:util';
import {
  normalizeHttpResponse,
  queueOutputMessages,
  resolveAppSettings,
  serverErrorResponse,
  triggerValue,
  type NormalizedHttpResponse,
} from './bindingValues';
import { readHostJson, type QueueHostSettings } from './hostJson';
import { decodeMessage, encodeMessage } from './queueEncoding';

export interface HostDoubleOptions {
  connectionString: string;
  /** Defaults to the repository's host.json (host defaults if that file does not exist). */
  hostJsonPath?: string;
  /** Receives every handler and host log line as it happens, e.g. `console.log` while debugging. */
  logSink?: (line: string) => void;
}

/** Mirrors the options object given to `app.storageQueue(name, options)`, plus its name. */
export interface QueueFunctionRegistration {
  name: string;
  queueName: string;
  connection?: string;
  handler: StorageQueueHandler;
  extraOutputs?: FunctionOutput[];
  return?: FunctionOutput;
}

export interface DeliverOptions {
  /** Give up (and throw) if the trigger queues are not empty by then. Default 10 s. */
  timeoutMs?: number;
  /** Replaces host.json's visibilityTimeout for failed messages, so retries need not wait seconds. */
  visibilityTimeoutOverrideMs?: number;
}

export type QueueInvocationOutcome = 'succeeded' | 'failed' | 'poisoned';

export interface QueueInvocation {
  functionName: string;
  invocationId: string;
  messageId: string;
  dequeueCount: number;
  /** What the handler was given; undefined when the message could not be decoded. */
  input: unknown;
  outcome: QueueInvocationOutcome;
  error?: unknown;
}

export interface DeliveryReport {
  invocations: QueueInvocation[];
  succeeded: number;
  failed: number;
  poisoned: number;
}

export interface HttpInvocationRequest {
  method?: string;
  /** Absolute, or a path resolved against http://localhost:7071. Default `/api/{name}`. */
  url?: string;
  headers?: Record<string, string>;
  body?: string;
  query?: Record<string, string>;
  params?: Record<string, string>;
}

export interface HttpInvocation {
  name?: string;
  handler: HttpHandler;
  request: HttpInvocationRequest;
  extraOutputs?: FunctionOutput[];
}

export interface SendMessageOptions {
  /** Defaults to host.json's messageEncoding === 'base64'. */
  base64?: boolean;
}

export interface HostDouble {
  settings: QueueHostSettings;
  /** Lines the handlers logged through context.log/trace/debug/info/warn/error. */
  logs: string[];
  /** Lines the host itself would log: executions, failures with the error text, poison moves. */
  hostLogs: string[];
  queueFunction(registration: QueueFunctionRegistration): void;
  deliverAll(opts?: DeliverOptions): Promise<DeliveryReport>;
  invokeHttp(invocation: HttpInvocation): Promise<NormalizedHttpResponse>;
  sendMessage(queueName: string, text: string, opts?: SendMessageOptions): Promise<void>;
  /** Decoded texts of up to 32 visible messages, left in place (a service limit of Peek). */
  peekAll(queueName: string): Promise<string[]>;
  /** Removes every visible message and returns the decoded texts in queue order. */
  receiveAll(queueName: string): Promise<string[]>;
  ensureQueues(names: string[]): Promise<void>;
}

/** The host holds a message invisible while it runs; ten minutes, as the real listener does. */
const PROCESSING_LEASE_SECONDS = 600;
const POLL_INTERVAL_MS = 20;
const DEFAULT_DELIVER_TIMEOUT_MS = 10_000;

interface ResolvedQueueOutput {
  binding: FunctionOutput;
  queueName: string;
}

interface RegisteredQueueFunction extends QueueFunctionRegistration {
  resolvedQueueName: string;
  queueOutputs: ResolvedQueueOutput[];
  returnOutput?: ResolvedQueueOutput;
}

function isQueueNotFound(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'statusCode' in err && err.statusCode === 404;
}

function errorText(err: unknown): string {
  if (err instanceof Error) return err.stack ?? `${err.name}: ${err.message}`;
  return format('%s', err);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function createHostDouble(opts: HostDoubleOptions): HostDouble {
  const settings = readHostJson(opts.hostJsonPath);
  const service = QueueServiceClient.fromConnectionString(opts.connectionString);
  const logs: string[] = [];
  const hostLogs: string[] = [];
  const functions: RegisteredQueueFunction[] = [];
  const knownQueues = new Set<string>();

  const emit = (target: string[], line: string): void => {
    target.push(line);
    opts.logSink?.(line);
  };
  const hostLog = (level: LogLevel, message: string): void => emit(hostLogs, `[host] ${level}: ${message}`);
  const logHandlerFor =
    (functionName: string) =>
    (level: LogLevel, ...args: unknown[]): void =>
      emit(logs, `[${functionName}] ${level}: ${format(...args)}`);

  const queue = (name: string): QueueClient => service.getQueueClient(name);
  const ensureQueue = async (name: string): Promise<QueueClient> => {
    const client = queue(name);
    if (!knownQueues.has(name)) {
      await client.createIfNotExists();
      knownQueues.add(name);
    }
    return client;
  };

  const queueOutputsOf = (outputs: FunctionOutput[]): ResolvedQueueOutput[] =>
    outputs.map((binding) => {
      if (binding.type !== 'queue' || typeof binding.queueName !== 'string') {
        throw new Error(`host double only applies storage queue outputs; got ${binding.type} output ${binding.name}`);
      }
      return { binding, queueName: resolveAppSettings(binding.queueName) };
    });

  /** The host flushes output bindings after the handler succeeds; a flush failure fails the invocation. */
  const applyOutputs = async (
    context: InvocationContext,
    outputs: ResolvedQueueOutput[],
    returnOutput: ResolvedQueueOutput | undefined,
    result: unknown
  ): Promise<void> => {
    const writes = outputs.map((o) => ({ queueName: o.queueName, value: context.extraOutputs.get(o.binding) }));
    if (returnOutput) writes.push({ queueName: returnOutput.queueName, value: result });
    for (const { queueName, value } of writes) {
      const messages = queueOutputMessages(value);
      if (messages.length === 0) continue;
      const client = await ensureQueue(queueName);
      for (const text of messages) await client.sendMessage(encodeMessage(text, settings.messageEncoding));
    }
  };

  const processMessage = async (
    fn: RegisteredQueueFunction,
    message: DequeuedMessageItem,
    deliver: DeliverOptions,
    pendingReleases: Set<Promise<void>>
  ): Promise<QueueInvocation> => {
    const invocationId = randomUUID();
    const client = queue(fn.resolvedQueueName);
    const decoded = decodeMessage(message.messageText, settings.messageEncoding);
    const input = decoded.ok ? triggerValue(decoded.text) : undefined;
    const context = new InvocationContext({
      invocationId,
      functionName: fn.name,
      logHandler: logHandlerFor(fn.name),
      triggerMetadata: {
        id: message.messageId,
        dequeueCount: message.dequeueCount,
        insertionTime: message.insertedOn.toISOString(),
        expirationTime: message.expiresOn.toISOString(),
        nextVisibleTime: message.nextVisibleOn.toISOString(),
        popReceipt: message.popReceipt,
        queueTrigger: decoded.ok ? decoded.text : message.messageText,
      },
      options: {
        trigger: trigger.storageQueue({ queueName: fn.queueName, connection: fn.connection ?? 'AzureWebJobsStorage' }),
        extraOutputs: fn.extraOutputs ?? [],
        ...(fn.return ? { return: fn.return } : {}),
      },
    });
    const record = { functionName: fn.name, invocationId, messageId: message.messageId, dequeueCount: message.dequeueCount, input };
    hostLog(
      'information',
      `Executing 'Functions.${fn.name}' (Reason='New queue message detected on '${fn.resolvedQueueName}'.', Id=${invocationId})`
    );
    const started = Date.now();
    try {
      if (!decoded.ok) throw new Error(`Exception binding parameter: ${decoded.reason}`);
      const result: unknown = await fn.handler(input, context);
      await applyOutputs(context, fn.queueOutputs, fn.returnOutput, result);
      await client.deleteMessage(message.messageId, message.popReceipt);
      hostLog('information', `Executed 'Functions.${fn.name}' (Succeeded, Id=${invocationId}, Duration=${Date.now() - started}ms)`);
      return { ...record, outcome: 'succeeded' };
    } catch (error) {
      hostLog(
        'error',
        `Executed 'Functions.${fn.name}' (Failed, Id=${invocationId}, Duration=${Date.now() - started}ms) ${errorText(error)}`
      );
      if (message.dequeueCount >= settings.maxDequeueCount) {
        const poisonName = `${fn.resolvedQueueName}-poison`;
        await (await ensureQueue(poisonName)).sendMessage(message.messageText);
        await client.deleteMessage(message.messageId, message.popReceipt);
        hostLog(
          'warning',
          `Message has reached MaxDequeueCount of ${settings.maxDequeueCount}. Moving message to queue '${poisonName}'.`
        );
        return { ...record, outcome: 'poisoned', error };
      }
      const delayMs = deliver.visibilityTimeoutOverrideMs ?? settings.visibilityTimeoutMs;
      // The service counts visibility in whole seconds; sub-second delays are held here instead.
      const release = (async () => {
        if (delayMs % 1000 !== 0) await sleep(delayMs);
        const seconds = delayMs % 1000 === 0 ? delayMs / 1000 : 0;
        await client.updateMessage(message.messageId, message.popReceipt, message.messageText, seconds);
      })()
        .catch((err: unknown) => hostLog('error', `Releasing message ${message.messageId} failed: ${errorText(err)}`))
        .finally(() => pendingReleases.delete(release));
      pendingReleases.add(release);
      return { ...record, outcome: 'failed', error };
    }
  };

  const remainingMessages = async (): Promise<Array<{ queueName: string; count: number }>> => {
    const names = [...new Set(functions.map((f) => f.resolvedQueueName))];
    const counts = await Promise.all(
      names.map(async (queueName) => {
        try {
          const props = await queue(queueName).getProperties();
          return { queueName, count: props.approximateMessagesCount ?? 0 };
        } catch (err) {
          if (isQueueNotFound(err)) return { queueName, count: 0 };
          throw err;
        }
      })
    );
    return counts.filter((c) => c.count > 0);
  };

  const receiveBatch = async (fn: RegisteredQueueFunction): Promise<DequeuedMessageItem[]> => {
    try {
      const res = await queue(fn.resolvedQueueName).receiveMessages({
        numberOfMessages: settings.batchSize,
        visibilityTimeout: PROCESSING_LEASE_SECONDS,
      });
      return res.receivedMessageItems;
    } catch (err) {
      // The real listener treats a trigger queue that does not exist yet as empty.
      if (isQueueNotFound(err)) return [];
      throw err;
    }
  };

  const withDeadline = async <T>(work: Promise<T>, deadline: number, what: () => string): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(what())), Math.max(0, deadline - Date.now()));
    });
    try {
      return await Promise.race([work, expired]);
    } finally {
      clearTimeout(timer);
    }
  };

  const deliverAll = async (deliver: DeliverOptions = {}): Promise<DeliveryReport> => {
    const timeoutMs = deliver.timeoutMs ?? DEFAULT_DELIVER_TIMEOUT_MS;
    const deadline = Date.now() + timeoutMs;
    const invocations: QueueInvocation[] = [];
    const pendingReleases = new Set<Promise<void>>();

    for (;;) {
      let receivedAny = false;
      for (const fn of functions) {
        const batch = await receiveBatch(fn);
        if (batch.length === 0) continue;
        receivedAny = true;
        // Like the host, a batch runs concurrently.
        const done = await withDeadline(
          Promise.all(batch.map((m) => processMessage(fn, m, deliver, pendingReleases))),
          deadline,
          () => `deliverAll: ${fn.name} was still processing a batch when ${timeoutMs} ms ran out (a handler that never settles?)`
        );
        invocations.push(...done);
      }
      const left = receivedAny
        ? []
        : pendingReleases.size > 0
          ? [{ queueName: '(messages being released)', count: pendingReleases.size }]
          : await remainingMessages();
      if (!receivedAny && left.length === 0) break;
      // Checked on busy rounds too, so functions feeding each other forever still stop.
      if (Date.now() >= deadline) {
        const detail = left.map((l) => `${l.queueName}: ${l.count}`).join(', ') || 'still receiving messages';
        throw new Error(
          `deliverAll: trigger queues not drained after ${timeoutMs} ms (${detail}); host.json ` +
            `visibilityTimeout is ${settings.visibilityTimeoutMs} ms, pass visibilityTimeoutOverrideMs to shorten retries`
        );
      }
      if (receivedAny) continue;
      await sleep(POLL_INTERVAL_MS);
    }
    const count = (o: QueueInvocationOutcome): number => invocations.filter((i) => i.outcome === o).length;
    return { invocations, succeeded: count('succeeded'), failed: count('failed'), poisoned: count('poisoned') };
  };

  const invokeHttp = async (invocation: HttpInvocation): Promise<NormalizedHttpResponse> => {
    const name = invocation.name ?? 'httpFunction';
    const { request: init } = invocation;
    const url = new URL(init.url ?? `/api/${name}`, 'http://localhost:7071');
    for (const [key, value] of Object.entries(init.query ?? {})) url.searchParams.set(key, value);
    const request = new HttpRequest({
      method: init.method ?? 'GET',
      url: url.toString(),
      headers: init.headers ?? {},
      ...(init.body !== undefined ? { body: { string: init.body } } : {}),
      query: Object.fromEntries(url.searchParams),
      params: init.params ?? {},
    });
    const invocationId = randomUUID();
    const extraOutputs = invocation.extraOutputs ?? [];
    const context = new InvocationContext({
      invocationId,
      functionName: name,
      logHandler: logHandlerFor(name),
      options: { trigger: trigger.http({}), return: output.http({}), extraOutputs },
    });
    hostLog('information', `Executing 'Functions.${name}' (Reason='This function was programmatically called via the host APIs.', Id=${invocationId})`);
    const started = Date.now();
    try {
      const result: unknown = await invocation.handler(request, context);
      await applyOutputs(context, queueOutputsOf(extraOutputs), undefined, undefined);
      const response = await normalizeHttpResponse(result);
      hostLog('information', `Executed 'Functions.${name}' (Succeeded, Id=${invocationId}, Duration=${Date.now() - started}ms)`);
      return response;
    } catch (error) {
      // The host answers a failed invocation with a bare 500 and logs the exception.
      hostLog('error', `Executed 'Functions.${name}' (Failed, Id=${invocationId}, Duration=${Date.now() - started}ms) ${errorText(error)}`);
      return serverErrorResponse();
    }
  };

  const useBase64 = (o?: SendMessageOptions): boolean => o?.base64 ?? settings.messageEncoding === 'base64';
  const readable = (raw: string): string => {
    const decoded = decodeMessage(raw, settings.messageEncoding);
    return decoded.ok ? decoded.text : raw;
  };

  return {
    settings,
    logs,
    hostLogs,
    queueFunction(registration) {
      if (functions.some((f) => f.name === registration.name)) throw new Error(`function ${registration.name} registered twice`);
      const [returnOutput] = registration.return ? queueOutputsOf([registration.return]) : [];
      functions.push({
        ...registration,
        resolvedQueueName: resolveAppSettings(registration.queueName),
        queueOutputs: queueOutputsOf(registration.extraOutputs ?? []),
        ...(returnOutput ? { returnOutput } : {}),
      });
    },
    deliverAll,
    invokeHttp,
    async sendMessage(queueName, text, o) {
      const client = await ensureQueue(resolveAppSettings(queueName));
      await client.sendMessage(useBase64(o) ? encodeMessage(text, 'base64') : text);
    },
    async peekAll(queueName) {
      try {
        const res = await queue(resolveAppSettings(queueName)).peekMessages({ numberOfMessages: 32 });
        return res.peekedMessageItems.map((m) => readable(m.messageText));
      } catch (err) {
        if (isQueueNotFound(err)) return [];
        throw err;
      }
    },
    async receiveAll(queueName) {
      const client = queue(resolveAppSettings(queueName));
      const texts: string[] = [];
      for (;;) {
        let items: DequeuedMessageItem[];
        try {
          items = (await client.receiveMessages({ numberOfMessages: 32, visibilityTimeout: 60 })).receivedMessageItems;
        } catch (err) {
          if (isQueueNotFound(err)) return texts;
          throw err;
        }
        if (items.length === 0) return texts;
        for (const m of items) {
          texts.push(readable(m.messageText));
          await client.deleteMessage(m.messageId, m.popReceipt);
        }
      }
    },
    async ensureQueues(names) {
      await Promise.all(names.map((n) => ensureQueue(resolveAppSettings(n))));
    },
  };
}
