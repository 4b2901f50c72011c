import type { HttpHandler } from '@azure/functions';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resultMessageSchema } from '../../src/app/openApiSchemas';
import { openEnvelope } from '../../src/app/webhookEnvelope';
import { ACTIONS } from '../../src/checkout/actions';
import { interpretRequest } from '../../src/checkout/interpret';
import { VARIANT_NAMES } from '../../src/checkout/routes';
import { SETTINGS } from '../../src/config';
import { startWorld, type World } from '../functions/world';
import { readHttpFile, type HttpSample } from './httpFile';

const files = readdirSync('samples').filter((f) => f.endsWith('.http'));
const samples = files.flatMap((file) => readHttpFile(join('samples', file)).map((sample) => ({ file, ...sample })));

/** The checkout requests a sample sends, unwrapped from any envelope or batch. */
function requestsOf(sample: HttpSample): unknown[] {
  if (sample.body === undefined) return [];
  const envelope = openEnvelope(JSON.parse(sample.body) as unknown, sample.headers['content-type'] ?? null);
  if (envelope.kind === 'single') return [envelope.item.content.request];
  if (envelope.kind === 'batch') return envelope.items.map((item) => (item.content.ok ? item.content.request : undefined));
  return [];
}

describe('samples/*.http', () => {
  const interpretations = samples.flatMap((sample) =>
    requestsOf(sample).map((raw) => ({ sample, result: interpretRequest(raw, { graphOrigin: SETTINGS.GRAPH_BASE_URL, newRequestId: () => 'x' }) })),
  );

  it('exist and parse', () => {
    expect(files.sort()).toEqual(['actions.http', 'variants.http', 'webhooks.http']);
    expect(samples.length).toBeGreaterThan(20);
  });

  it('hold only valid requests', () => {
    const rejected = interpretations.filter((i) => !i.result.ok).map((i) => `${i.sample.file}: ${i.sample.name}: ${JSON.stringify(!i.result.ok && i.result.rejected.problems)}`);
    expect(rejected).toEqual([]);
  });

  it('cover every route variant and every action', () => {
    const accepted = interpretations.flatMap((i) => (i.result.ok ? [i.result.accepted] : []));
    expect([...new Set(accepted.map((a) => a.route.variant))].sort()).toEqual([...VARIANT_NAMES].sort());
    expect([...new Set(accepted.map((a) => a.action))].sort()).toEqual([...ACTIONS].sort());
  });

  it('target the local host by default and send the key variable to every keyed function', () => {
    for (const sample of samples) {
      expect(sample.url.origin).toBe('http://localhost:7071');
      if (sample.url.pathname === '/api/checkout') expect(sample.headers).toHaveProperty('x-functions-key');
    }
  });
});

describe('samples/*.http against the real handlers', () => {
  let world: World;
  let handlers: Record<string, HttpHandler>;
  beforeAll(async () => {
    world = await startWorld();
    const { checkoutHttp } = await import('../../src/functions/checkoutHttp');
    const { openApi } = await import('../../src/functions/openApi');
    handlers = { '/api/checkout': checkoutHttp as HttpHandler, '/api/openapi.json': openApi as HttpHandler };
  });
  afterAll(async () => world?.stop());

  it.each(samples.map((s) => [`${s.file}: ${s.name}`, s] as const))('%s', async (_name, sample) => {
    const { requestsQueueOutput, resultsQueueOutput } = await import('../../src/app/bindings');
    const response = await world.host.invokeHttp({
      name: sample.url.pathname,
      handler: handlers[sample.url.pathname]!,
      request: {
        method: sample.method,
        url: sample.url.toString(),
        headers: sample.headers,
        // Here the app's Graph origin is the emulator's; a full-URL target must use it.
        ...(sample.body !== undefined && { body: sample.body.replaceAll(SETTINGS.GRAPH_BASE_URL, world.graph.url) }),
      },
      extraOutputs: [requestsQueueOutput, resultsQueueOutput],
    });
    if (response.status >= 400) {
      // A sync sample reaches Graph, where the example item does not exist: a failed result, never a rejected request.
      expect(response.json()).toMatchObject({ result: { status: 'failed' } });
    } else {
      expect(response.status).toBeOneOf([200, 202]);
    }
  });
});

describe('samples/logicapps', () => {
  const read = (file: string) => JSON.parse(readFileSync(join('samples/logicapps', file), 'utf8')) as { definition: Record<string, unknown> };

  it('the results workflow parses results with the schema the app documents', () => {
    const text = readFileSync('samples/logicapps/consume-results.json', 'utf8');
    const workflow = read('consume-results.json');
    const actions = workflow.definition['actions'] as Record<string, { type: string; inputs: { schema?: unknown } }>;
    const parse = Object.values(actions).find((action) => action.type === 'ParseJson')!;
    const { $schema: _ignored, ...expected } = z.toJSONSchema(resultMessageSchema, { target: 'draft-4', io: 'input' });
    // To regenerate after the result changes: npm run build, then
    // node -e "const {z}=require('zod');const {resultMessageSchema}=require('./dist/src/app/openApiSchemas');const {\$schema,...s}=z.toJSONSchema(resultMessageSchema,{target:'draft-4',io:'input'});console.log(JSON.stringify(s,null,2))"
    expect(parse.inputs.schema, 'the Parse JSON schema must be regenerated from resultMessageSchema (see the comment above)').toEqual(expected);
    expect(text).toContain(`encodeURIComponent('${SETTINGS.CHECKOUT_RESULTS_QUEUE}')`);
  });

  it('the calling workflow posts to the checkout function with the key header and a stable requestId', () => {
    const text = readFileSync('samples/logicapps/call-checkout.json', 'utf8');
    const workflow = read('call-checkout.json');
    const actions = Object.values(workflow.definition['actions'] as Record<string, { type: string; inputs: Record<string, unknown> }>).filter((a) => a.type === 'Http');
    expect(actions.map((a) => (a.inputs['body'] as Record<string, unknown>)['action']).sort()).toEqual(['checkin', 'checkout', 'discardCheckout']);
    for (const action of actions) {
      expect(action.inputs).toMatchObject({ method: 'POST', headers: { 'x-functions-key': "@parameters('checkoutFunctionKey')" } });
      expect((action.inputs['body'] as Record<string, unknown>)['requestId']).toMatch(/workflow\(\)\['run'\]\['name'\]/);
    }
    expect(text).not.toMatch(/"code=/);
    // No mode=sync: the HTTP action follows the 202 + Location polling pattern to the result.
    expect(text).not.toContain('"mode"');
  });

  it("the webhook workflow subscribes with its own callback URL and waits for the result", () => {
    const workflow = read('checkout-webhook.json');
    const actions = workflow.definition['actions'] as Record<string, { type: string; inputs: { subscribe?: { body: Record<string, unknown>; headers: Record<string, string> } } }>;
    const webhook = Object.values(actions).find((a) => a.type === 'HttpWebhook');
    expect(webhook?.inputs.subscribe?.body).toMatchObject({ callbackUrl: '@{listCallbackUrl()}', action: 'checkout' });
    expect(webhook?.inputs.subscribe?.headers['x-functions-key']).toBe("@parameters('checkoutFunctionKey')");
  });
});
