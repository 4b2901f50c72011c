import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEVSTORE_KEY, findFreePort } from '../support';
import { startWorld, type World } from './world';

let world: World;
beforeAll(async () => {
  // The ledger's storage account points at a port nothing listens on.
  const dead = `http://127.0.0.1:${await findFreePort()}/devstoreaccount1`;
  world = await startWorld({
    AzureWebJobsStorage: `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${DEVSTORE_KEY};QueueEndpoint=${dead};TableEndpoint=${dead};`,
  });
}, 60_000);
afterAll(async () => world?.stop());

it('storage out of reach → 503 problem with Retry-After, not a 500, and no Graph call', async () => {
  for (const mode of ['async', 'sync']) {
    const response = await world.post({ target: '/drives/b!ZG93bg/items/01DOWN' }, { query: { mode } });
    expect(response.status, mode).toBe(503);
    expect(response.headers['retry-after']).toBe('30');
    expect(response.json()).toMatchObject({ code: 'serviceUnavailable' });
  }
  const status = await world.status('any-id');
  expect(status.status).toBe(503);
  expect(world.graph.calls).toEqual([]);
  expect(world.host.logs.join('\n')).not.toContain(DEVSTORE_KEY);
}, 120_000);
