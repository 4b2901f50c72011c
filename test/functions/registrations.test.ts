import { app, type HttpFunctionOptions } from '@azure/functions';
import { readdirSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';

// What each function file asks the host for, captured as the host would receive it.
const http = new Map<string, HttpFunctionOptions>();
vi.spyOn(app, 'http').mockImplementation((name, options) => void http.set(name, options));
const queues = new Map<string, unknown>();
vi.spyOn(app, 'storageQueue').mockImplementation((name, options) => void queues.set(name, options));
vi.spyOn(app, 'timer').mockImplementation(() => undefined);

describe('function registrations', () => {
  it('every HTTP function that does work requires a function key', async () => {
    for (const file of readdirSync('src/functions')) await import(`../../src/functions/${file}`);
    expect([...http.keys()].sort()).toEqual(['checkoutHttp', 'checkoutStatus', 'openApi']);
    expect(http.get('checkoutHttp')).toMatchObject({ authLevel: 'function', route: 'checkout' });
    expect(http.get('checkoutStatus')).toMatchObject({ authLevel: 'function', route: 'checkout/{requestId}', methods: ['GET'] });
    // The one anonymous endpoint serves a static schema document and reads nothing else.
    expect(http.get('openApi')).toMatchObject({ authLevel: 'anonymous', methods: ['GET'] });
    expect([...queues.keys()]).toEqual(['checkoutQueue']);
  });
});
