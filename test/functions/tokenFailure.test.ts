import { afterAll, beforeAll, expect, it } from 'vitest';
import { startWorld, type World } from './world';

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => world?.stop());

it('a managed-identity endpoint that refuses → tokenUnavailable (503), and Graph is never called', async () => {
  world.identity.failNext(50, 500);
  const response = await world.post({ target: '/drives/b!dG9rZW4/items/01TOKEN' }, { query: { mode: 'sync' } });
  expect(response.status).toBe(503);
  expect(response.headers['retry-after']).toBeDefined();
  const [result] = await world.results();
  expect(result).toMatchObject({ status: 'failed', attempts: 0, error: { code: 'tokenUnavailable', retryable: true } });
  expect(String((result!['error'] as { message: string }).message)).toMatch(/managed identity/);
  expect(world.graph.calls).toHaveLength(0);
});

it('a managed-identity endpoint hiccup is retried, and the checkout goes ahead', async () => {
  world.graph.addItem('drives/b!dG9rZW4/items/01HICCUP');
  world.identity.clearFailures();
  const before = world.identity.requests.length;
  world.identity.failNext(1, 503);
  const response = await world.post({ target: '/drives/b!dG9rZW4/items/01HICCUP' }, { query: { mode: 'sync' } });
  expect(response.status).toBe(200);
  expect(world.identity.requests.length - before).toBe(2);
  await world.results();
});
