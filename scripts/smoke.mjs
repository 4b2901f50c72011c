#!/usr/bin/env node
// @ts-check
// `npm run smoke -- <function-url> --target <graph path>`: sends one checkout request to a
// running app (local `npm start` or Azure) and waits for its result on the results queue,
// printing each step. Exit code 0 only when the request succeeded end to end.
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const USAGE = `Usage: npm run smoke -- <function-url> [--target <graph path>] [--action checkout|checkin|discardCheckout]
                      [--sync] [--timeout <seconds>]

  <function-url>   the app (https://func-api-xyz.azurewebsites.net) or its checkout function URL
                   (…/api/checkout); locally http://localhost:7071
  --target         the file, e.g. /drives/{driveId}/items/{itemId} (or set SMOKE_TARGET)
  --action         default checkout
  --sync           run the request at once (?mode=sync) instead of queueing it
  --timeout        seconds to wait for the result on the queue (default 120)

Environment:
  CHECKOUT_FUNCTION_KEY          function key, sent as x-functions-key (not needed locally)
  AZURE_STORAGE_QUEUE_ENDPOINT   queue endpoint of the app's storage (azd output); read with your
                                 Azure sign-in (DefaultAzureCredential: az login, azd auth login, …)
  AzureWebJobsStorage            or a connection string (UseDevelopmentStorage=true for Azurite);
                                 the default for a localhost URL
  CHECKOUT_RESULTS_QUEUE         results queue name (default checkout-results)`;

const ACTIONS = ['checkout', 'checkin', 'discardCheckout'];
const POLL_INTERVAL_MS = 2000;
const HTTP_TIMEOUT_MS = 120_000;

/**
 * @typedef {{ endpoint: URL, target: string, action: string, sync: boolean, timeoutMs: number, key?: string,
 *   queue: { kind: 'connectionString', connectionString: string } | { kind: 'identity', endpoint: string }, resultsQueue: string }} SmokeOptions
 */

/**
 * Command line and environment → options, or the reason they do not make sense.
 * @param {string[]} argv
 * @param {Record<string, string | undefined>} env
 * @returns {{ ok: true, options: SmokeOptions } | { ok: false, help?: boolean, message: string }}
 */
export function parseSmokeArgs(argv, env) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        target: { type: 'string' },
        action: { type: 'string', default: 'checkout' },
        sync: { type: 'boolean', default: false },
        timeout: { type: 'string', default: '120' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  const { values, positionals } = parsed;
  if (values.help) return { ok: false, help: true, message: USAGE };
  if (positionals.length !== 1) return { ok: false, message: 'Give exactly one function URL.' };

  let endpoint;
  try {
    endpoint = new URL(positionals[0] ?? '');
  } catch {
    return { ok: false, message: `"${positionals[0]}" is not a URL such as https://func-api-xyz.azurewebsites.net.` };
  }
  if (endpoint.protocol !== 'https:' && endpoint.protocol !== 'http:') return { ok: false, message: 'The function URL must be http(s).' };
  if (endpoint.pathname === '/' || endpoint.pathname === '') endpoint.pathname = '/api/checkout';

  const target = values.target ?? env['SMOKE_TARGET'];
  if (!target) return { ok: false, message: 'Give the file to check out: --target /drives/{driveId}/items/{itemId} (or SMOKE_TARGET).' };
  const action = values.action ?? 'checkout';
  if (!ACTIONS.includes(action)) return { ok: false, message: `--action must be one of ${ACTIONS.join(', ')}, not "${action}".` };
  const seconds = Number(values.timeout);
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 3600) return { ok: false, message: '--timeout must be whole seconds from 1 to 3600.' };

  const local = isLoopback(endpoint.hostname);
  const queueEndpoint = env['AZURE_STORAGE_QUEUE_ENDPOINT']?.trim();
  const connectionString = env['AzureWebJobsStorage']?.trim();
  /** @type {SmokeOptions['queue']} */
  let queue;
  if (queueEndpoint) queue = { kind: 'identity', endpoint: queueEndpoint };
  else if (connectionString) queue = { kind: 'connectionString', connectionString };
  else if (local) queue = { kind: 'connectionString', connectionString: 'UseDevelopmentStorage=true' };
  else {
    return {
      ok: false,
      message: 'Say where the results queue is: AZURE_STORAGE_QUEUE_ENDPOINT (e.g. "$(azd env get-value AZURE_STORAGE_QUEUE_ENDPOINT)") or AzureWebJobsStorage.',
    };
  }

  const key = env['CHECKOUT_FUNCTION_KEY']?.trim() || undefined;
  /** @type {SmokeOptions} */
  const options = { endpoint, target, action, sync: values.sync ?? false, timeoutMs: seconds * 1000, queue, resultsQueue: env['CHECKOUT_RESULTS_QUEUE']?.trim() || 'checkout-results' };
  if (key) options.key = key;
  return { ok: true, options };
}

/** @param {string} hostname */
function isLoopback(hostname) {
  return hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]';
}

/** The URL as printed: a key in the query string is never shown. @param {URL} url */
export function redact(url) {
  const copy = new URL(url);
  if (copy.searchParams.has('code')) copy.searchParams.set('code', '***');
  return copy.toString();
}

/**
 * @param {SmokeOptions} options
 * @param {(line: string) => void} print
 * @returns {Promise<number>} the exit code
 */
export async function runSmoke(options, print) {
  const { QueueServiceClient } = await import('@azure/storage-queue');
  // A smoke test should fail fast: the SDK's default retries would hide a wrong endpoint for a minute.
  const pipeline = { retryOptions: { maxTries: 2, tryTimeoutInMs: 10_000 } };
  let service;
  if (options.queue.kind === 'identity') {
    const { DefaultAzureCredential } = await import('@azure/identity');
    service = new QueueServiceClient(options.queue.endpoint, new DefaultAzureCredential(), pipeline);
  } else {
    service = QueueServiceClient.fromConnectionString(options.queue.connectionString, pipeline);
  }
  const queue = service.getQueueClient(options.resultsQueue);

  print(`1/4 Results queue: ${queue.url}`);
  try {
    await queue.getProperties();
  } catch (error) {
    print(`    cannot read it: ${describeStorageError(error)}`);
    return 1;
  }

  const requestId = `smoke-${randomUUID()}`;
  const body = { requestId, action: options.action, target: options.target, correlationId: 'npm-run-smoke' };
  const url = new URL(options.endpoint);
  if (options.sync) url.searchParams.set('mode', 'sync');
  print(`2/4 POST ${redact(url)}  (requestId ${requestId}, ${options.action} ${options.target})`);
  /** @type {Record<string, string>} */
  const headers = { 'content-type': 'application/json' };
  if (options.key) headers['x-functions-key'] = options.key;
  let response;
  try {
    response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body), signal: AbortSignal.timeout(HTTP_TIMEOUT_MS) });
  } catch (error) {
    print(`    no answer: ${error instanceof Error ? error.message : String(error)}`);
    print(url.hostname === 'localhost' ? '    Is the app running (npm start)?' : '    Check the URL; is the app deployed and running?');
    return 1;
  }
  const text = await response.text();
  print(`    ${response.status} ${response.statusText}: ${text.slice(0, 2000)}`);
  if (response.status === 401) {
    print('    The function key is missing or wrong: set CHECKOUT_FUNCTION_KEY (az functionapp keys list … --query functionKeys.default).');
    return 1;
  }
  if (!options.sync && response.status !== 202) return 1;
  // In sync mode a failed checkout still answers with its result, which is on the queue too.
  if (options.sync && !response.ok && !/"result"\s*:/.test(text)) return 1;

  print(`3/4 Waiting up to ${options.timeoutMs / 1000} s for the result on ${options.resultsQueue}…`);
  const result = await waitForResult(queue, requestId, options.timeoutMs, print);
  if (!result) {
    print("    No result arrived in time. Look at the app's logs (Application Insights, or the func start console)");
    print('    and at the poison queue (<requests queue>-poison); see README "Troubleshooting".');
    return 1;
  }
  print(`4/4 Result: ${JSON.stringify(result, null, 2)}`);
  if (result['status'] === 'succeeded') {
    print('Smoke test passed.');
    return 0;
  }
  const error = /** @type {{ code?: string, message?: string } | undefined} */ (result['error']);
  print(`Smoke test failed: ${result['status']} (${error?.code ?? 'no code'}). See README "Troubleshooting" for ${error?.code ?? 'this'}.`);
  return 1;
}

/**
 * Peeks, so the result stays on the queue for whatever consumes it.
 * @param {import('@azure/storage-queue').QueueClient} queue
 * @param {string} requestId
 * @param {number} timeoutMs
 * @param {(line: string) => void} print
 * @returns {Promise<Record<string, unknown> | undefined>}
 */
async function waitForResult(queue, requestId, timeoutMs, print) {
  const deadline = Date.now() + timeoutMs;
  let warned = false;
  for (;;) {
    const { peekedMessageItems } = await queue.peekMessages({ numberOfMessages: 32 });
    for (const message of peekedMessageItems) {
      const result = parseResult(message.messageText);
      if (result?.['requestId'] === requestId) return result;
    }
    if (!warned && peekedMessageItems.length === 32) {
      warned = true;
      const { approximateMessagesCount } = await queue.getProperties();
      print(`    The queue holds about ${approximateMessagesCount} messages and only the first 32 can be peeked; if nothing consumes it, the result may sit behind them.`);
    }
    if (Date.now() + POLL_INTERVAL_MS > deadline) return undefined;
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
}

/** Results are plain JSON (host.json messageEncoding none); accept base64 too. @param {string} text */
function parseResult(text) {
  for (const candidate of [text, Buffer.from(text, 'base64').toString('utf8')]) {
    try {
      const value = JSON.parse(candidate);
      if (value && typeof value === 'object') return /** @type {Record<string, unknown>} */ (value);
    } catch {
      // Not this encoding.
    }
  }
  return undefined;
}

/** @param {unknown} error */
function describeStorageError(error) {
  const status = typeof error === 'object' && error !== null && 'statusCode' in error ? error.statusCode : undefined;
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  if (status === 403) return `403 Forbidden: your sign-in needs Storage Queue Data Reader (or Contributor) on the storage account. (${message})`;
  if (status === 404) return '404: the queue does not exist. Check CHECKOUT_RESULTS_QUEUE, or start the app once so it is created.';
  if (/ECONNREFUSED/.test(message)) return `${message}. Is Azurite running (npm start starts it)?`;
  return message;
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  const parsed = parseSmokeArgs(process.argv.slice(2), process.env);
  if (!parsed.ok) {
    (parsed.help ? console.log : console.error)(parsed.help ? parsed.message : `${parsed.message}\n\n${USAGE}`);
    process.exit(parsed.help ? 0 : 2);
  }
  process.exitCode = await runSmoke(parsed.options, (line) => console.log(line));
}
