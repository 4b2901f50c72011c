import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseHostJson, parseTimeSpan, QUEUE_DEFAULTS, readHostJson } from './hostJson';
import { decodeMessage, encodeMessage } from './queueEncoding';

describe('host.json reading', () => {
  it.each([
    ['00:00:00', 0],
    ['00:00:30', 30_000],
    ['00:01:05', 65_000],
    ['1.02:00:00', 26 * 3600_000],
    ['00:00:00.5', 500],
    ['00:00:01.250', 1250],
  ])('parses TimeSpan %s', (text, ms) => {
    expect(parseTimeSpan(text)).toBe(ms);
  });

  it('rejects what the host would reject', () => {
    expect(() => parseTimeSpan('30s')).toThrow(/TimeSpan/);
    const bad = (queues: unknown): string => JSON.stringify({ extensions: { queues } });
    expect(() => parseHostJson(bad({ messageEncoding: 'utf8' }), 'x')).toThrow(/messageEncoding/);
    expect(() => parseHostJson(bad({ maxDequeueCount: 0 }), 'x')).toThrow(/maxDequeueCount/);
    expect(() => parseHostJson(bad({ batchSize: 64 }), 'x')).toThrow(/batchSize/);
    expect(() => parseHostJson(bad({ visibilityTimeout: 30 }), 'x')).toThrow(/visibilityTimeout/);
    expect(() => parseHostJson('{ nope', 'x')).toThrow(/not valid JSON/);
  });

  it('fills defaults, accepts any case for messageEncoding and ignores unrelated settings', () => {
    const text = JSON.stringify({
      version: '2.0',
      logging: { logLevel: { default: 'Information' } },
      extensions: { queues: { messageEncoding: 'None', maxPollingInterval: '00:00:02' } },
    });
    expect(parseHostJson(text, 'inline')).toEqual({ ...QUEUE_DEFAULTS, messageEncoding: 'none', source: 'inline' });
    expect(parseHostJson('{}', 'empty')).toEqual({ ...QUEUE_DEFAULTS, source: 'empty' });
  });

  it('lets AzureFunctionsJobHost__extensions__queues__* settings override host.json, as the host does', () => {
    const text = JSON.stringify({ extensions: { queues: { maxDequeueCount: 5, messageEncoding: 'base64' } } });
    const env = {
      AzureFunctionsJobHost__extensions__queues__maxDequeueCount: '2',
      AZUREFUNCTIONSJOBHOST__EXTENSIONS__QUEUES__MESSAGEENCODING: 'none',
      AzureFunctionsJobHost__extensions__queues__visibilityTimeout: '00:00:05',
      AzureFunctionsJobHost__logging__logLevel__default: 'Debug',
    };
    expect(parseHostJson(text, 'h', env)).toEqual({
      maxDequeueCount: 2,
      messageEncoding: 'none',
      visibilityTimeoutMs: 5000,
      batchSize: 16,
      source: 'h + environment overrides',
    });
    expect(() => parseHostJson(text, 'h', { AzureFunctionsJobHost__extensions__queues__batchSize: 'lots' })).toThrow(/batchSize/);
  });

  it('reads a file, and refuses an explicit path that does not exist', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hostjson-'));
    try {
      const file = join(dir, 'host.json');
      writeFileSync(file, '\uFEFF' + JSON.stringify({ extensions: { queues: { maxDequeueCount: 2 } } }));
      expect(readHostJson(file, {})).toMatchObject({ maxDequeueCount: 2, source: file });
      expect(() => readHostJson(join(dir, 'missing.json'))).toThrow(/ENOENT/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('queue message encoding', () => {
  it('round-trips UTF-8 text through base64', () => {
    const text = '{"name":"Prüfbericht – Q3.docx"}';
    expect(decodeMessage(encodeMessage(text, 'base64'), 'base64')).toEqual({ ok: true, text });
  });

  it('refuses what .NET would refuse, and tolerates whitespace as .NET does', () => {
    expect(decodeMessage('{"a":1}', 'base64').ok).toBe(false);
    expect(decodeMessage('abc', 'base64').ok).toBe(false);
    expect(decodeMessage('aGVs bG8=\n', 'base64')).toEqual({ ok: true, text: 'hello' });
    expect(decodeMessage('{"a":1}', 'none')).toEqual({ ok: true, text: '{"a":1}' });
  });
});
