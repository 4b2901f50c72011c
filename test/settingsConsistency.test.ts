import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { STORAGE_CONNECTION } from '../src/app/bindings';
import { SETTINGS } from '../src/config';
import { blockAfter, paramsOf, readBicep, topLevelKeys } from './infra/bicepText';

// Derived from the code: when SETTINGS grows, every place below must name the new setting.
const CODE_SETTINGS = [...Object.keys(SETTINGS), STORAGE_CONNECTION].sort();

const sample = (JSON.parse(readFileSync('local.settings.sample.json', 'utf8')) as { Values: Record<string, string> }).Values;
const api = readBicep('infra/app/api.bicep');
const appSettingsBlock = blockAfter(api.text, api.code, /var appSettings\s*=\s*\{/);
const appSettingNames = topLevelKeys(appSettingsBlock);
const appSettingValue = (name: string): string | undefined => new RegExp(`^\\s*${name}\\s*:\\s*(.+)$`, 'm').exec(appSettingsBlock)?.[1]?.trim();
const main = readBicep('infra/main.bicep');
const mainParam = (name: string): string | undefined => paramsOf(main.text).find((p) => p.name === name)?.defaultText?.replace(/^'|'$/g, '');

const readme = readFileSync('README.md', 'utf8');
const settingsSection = /^## Settings\n([\s\S]*?)(?=^## )/m.exec(readme)?.[1] ?? '';
const readmeSettings = [...settingsSection.matchAll(/^\| `([A-Za-z_][A-Za-z0-9_]*)` \|/gm)].map((m) => m[1]!);

describe('every setting the code reads is everywhere a deployer looks', () => {
  it.each(CODE_SETTINGS)('%s is in local.settings.sample.json', (name) => {
    expect(Object.keys(sample)).toContain(name);
  });

  it.each(CODE_SETTINGS)('%s is set by the infra (infra/app/api.bicep app settings)', (name) => {
    if (name === STORAGE_CONNECTION) {
      // Identity-based: the host and the code read AzureWebJobsStorage__* instead of a connection string.
      expect(appSettingNames).toEqual(
        expect.arrayContaining(['__credential', '__clientId', '__blobServiceUri', '__queueServiceUri', '__tableServiceUri'].map((s) => name + s)),
      );
      expect(appSettingNames).not.toContain(name);
    } else {
      expect(appSettingNames).toContain(name);
    }
  });

  it.each(CODE_SETTINGS)("%s has a row in the README's Settings table", (name) => {
    expect(readmeSettings).toContain(name);
  });

  it('infra literals agree with the code defaults, so a deployed app behaves as documented', () => {
    for (const [name, defaultValue] of Object.entries(SETTINGS)) {
      const value = appSettingValue(name);
      if (value === undefined || !value.startsWith("'")) continue;
      expect([name, value]).toEqual([name, `'${defaultValue}'`]);
    }
  });
});

describe('queue and table names agree', () => {
  const requests = SETTINGS.CHECKOUT_REQUESTS_QUEUE;
  const results = SETTINGS.CHECKOUT_RESULTS_QUEUE;

  it('in local.settings.sample.json', () => {
    expect(sample['CHECKOUT_REQUESTS_QUEUE']).toBe(requests);
    expect(sample['CHECKOUT_RESULTS_QUEUE']).toBe(results);
  });

  it('in the infra: the queues created, the poison queue, and the app settings pointing at them', () => {
    expect(mainParam('requestsQueueName')).toBe(requests);
    expect(mainParam('resultsQueueName')).toBe(results);
    expect(main.text).toMatch(/queueNames:\s*\[requestsQueueName, resultsQueueName, '\$\{requestsQueueName\}-poison'\]/);
    expect(appSettingValue('CHECKOUT_REQUESTS_QUEUE')).toBe('requestsQueueName');
    expect(appSettingValue('CHECKOUT_RESULTS_QUEUE')).toBe('resultsQueueName');
  });

  it('for the idempotency table, once the code reads one', () => {
    const settings: Record<string, string> = SETTINGS;
    const table = settings['CHECKOUT_IDEMPOTENCY_TABLE'];
    expect(mainParam('idempotencyTableName')).toBe(table ?? 'checkoutrequests');
    expect(main.text).toMatch(/tableNames:\s*\[idempotencyTableName\]/);
    expect(appSettingValue('CHECKOUT_IDEMPOTENCY_TABLE')).toBe('idempotencyTableName');
  });

  it('in the README', () => {
    expect(readme).toContain(`\`${requests}\``);
    expect(readme).toContain(`\`${results}\``);
    expect(readme).toContain(`${requests}-poison`);
  });
});
