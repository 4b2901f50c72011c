import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { balanced, blankCommentsAndStrings, blockAfter, paramsOf, readBicep, topLevelKeys } from './bicepText';

// No Bicep compiler runs here (it is not on npm); these checks catch the structural mistakes a
// compiler would, and pin the security decisions. `az bicep build` is the real check.
const templates = ['infra/main.bicep', ...readdirSync('infra/app').map((f) => join('infra/app', f))].filter((f) => f.endsWith('.bicep'));
const main = readBicep('infra/main.bicep');
const allInfra = templates.map((f) => readFileSync(f, 'utf8')).join('\n');

const ROLE = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b',
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88',
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3',
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb',
};

describe('Bicep templates (structure)', () => {
  it.each(templates)('%s has balanced braces, brackets and parentheses', (file) => {
    expect(balanced(readBicep(file).code)).toBe(true);
  });

  const modules = [...main.text.matchAll(/^module (\w+) '([^']+)' = \{/gm)].map((m) => ({ name: m[1]!, path: join('infra', m[2]!) }));

  it('main.bicep uses every module file, and each exists', () => {
    expect(modules.map((m) => m.path).sort()).toEqual(templates.filter((f) => f !== 'infra/main.bicep').sort());
  });

  it.each(modules.map((m) => [m.name, m] as const))('module %s gets every parameter it needs and no unknown one', (_name, module) => {
    const block = blockAfter(main.text, main.code, new RegExp(`^module ${module.name} '[^']+' = \\{`, 'm'));
    const given = topLevelKeys(blockAfter(block, blankCommentsAndStrings(block), /params:\s*\{/));
    const declared = paramsOf(readFileSync(module.path, 'utf8'));
    expect(given.filter((name) => !declared.some((p) => p.name === name))).toEqual([]);
    expect(declared.filter((p) => !p.hasDefault && !given.includes(p.name)).map((p) => p.name)).toEqual([]);
  });

  it('main.parameters.json and main.bicep agree', () => {
    const file = JSON.parse(readFileSync('infra/main.parameters.json', 'utf8')) as { parameters: Record<string, unknown> };
    const declared = paramsOf(main.text);
    expect(Object.keys(file.parameters).filter((name) => !declared.some((p) => p.name === name))).toEqual([]);
    expect(declared.filter((p) => !p.hasDefault && !(p.name in file.parameters)).map((p) => p.name)).toEqual([]);
  });

  it('every abbreviation main.bicep uses exists', () => {
    const abbreviations = JSON.parse(readFileSync('infra/abbreviations.json', 'utf8')) as Record<string, string>;
    for (const [, key] of main.text.matchAll(/abbrs\.(\w+)/g)) expect(Object.keys(abbreviations)).toContain(key);
  });

  it('is at subscription scope, creates the resource group and tags it for azd', () => {
    expect(main.text).toMatch(/^targetScope = 'subscription'$/m);
    expect(main.text).toMatch(/'azd-env-name': environmentName/);
    expect(readFileSync('infra/app/api.bicep', 'utf8')).toMatch(/'azd-service-name': 'api'/);
  });

  it('outputs what the hook and the smoke script read', () => {
    const outputs = [...main.text.matchAll(/^output (\w+) /gm)].map((m) => m[1]);
    expect(outputs).toEqual(expect.arrayContaining(['MANAGED_IDENTITY_PRINCIPAL_ID', 'AZURE_FUNCTION_URL', 'AZURE_STORAGE_QUEUE_ENDPOINT', 'CHECKOUT_RESULTS_QUEUE']));
    for (const variable of ['MANAGED_IDENTITY_PRINCIPAL_ID']) {
      expect(readFileSync('infra/scripts/grant-graph-permission.sh', 'utf8')).toContain(variable);
      expect(readFileSync('infra/scripts/grant-graph-permission.ps1', 'utf8')).toContain(variable);
    }
  });
});

describe('Bicep templates (decisions)', () => {
  const api = readFileSync('infra/app/api.bicep', 'utf8');

  it('storage refuses shared keys, and no key or connection string appears anywhere', () => {
    expect(readFileSync('infra/app/storage.bicep', 'utf8')).toMatch(/allowSharedKeyAccess: false/);
    expect(allInfra).not.toMatch(/listKeys|AccountKey=|SharedAccessSignature/);
    expect(api).toMatch(/AzureWebJobsStorage__credential: 'managedidentity'/);
  });

  it('runs on Flex Consumption with Node 20 or 22 and the user-assigned identity everywhere', () => {
    expect(api).toMatch(/tier: 'FlexConsumption'/);
    expect(api).toMatch(/name: 'FC1'/);
    expect(api).toMatch(/runtime: \{\s*name: 'node'\s*version: nodeVersion\s*\}/);
    expect(main.text).toMatch(/@allowed\(\['20', '22'\]\)\s*param nodeVersion string = '20'/);
    expect(main.text).toMatch(/param instanceMemoryMB int = 2048/);
    expect(api).toMatch(/type: 'UserAssignedIdentity'/);
    expect(api).toMatch(/type: 'UserAssigned'/);
    expect(api).toMatch(/AZURE_CLIENT_ID: identityClientId/);
    expect(api).toMatch(/AzureWebJobsStorage__clientId: identityClientId/);
    // Flex Consumption rejects these; the runtime comes from functionAppConfig.
    expect(api).not.toMatch(/FUNCTIONS_WORKER_RUNTIME|FUNCTIONS_EXTENSION_VERSION|WEBSITE_NODE_DEFAULT_VERSION|WEBSITE_RUN_FROM_PACKAGE/);
  });

  it('sends telemetry with Entra ID auth only', () => {
    expect(readFileSync('infra/app/monitoring.bicep', 'utf8')).toMatch(/DisableLocalAuth: true/);
    expect(api).toMatch(/APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=\$\{identityClientId\};Authorization=AAD'/);
  });

  it('grants the identity the roles each binding needs', () => {
    const rbac = readFileSync('infra/app/rbac.bicep', 'utf8');
    for (const id of Object.values(ROLE)) expect(rbac).toContain(id);
    // Reader + Message Processor cannot release a failed message or poison one (infra/README.md).
    expect(rbac).not.toContain('8a0f0c08-91a1-4084-bc3d-661d67233fed');
    expect(rbac).toMatch(/principalType: 'ServicePrincipal'/);
  });
});

describe('azure.yaml', () => {
  const yaml = readFileSync('azure.yaml', 'utf8');

  it('deploys this folder as the `api` TypeScript function app', () => {
    expect(yaml).toMatch(/^services:\n {2}api:\n {4}project: \.\n {4}language: ts\n {4}host: function$/m);
  });

  it('runs the Graph permission script after provisioning, on both shells', () => {
    const scripts = [...yaml.matchAll(/run: (\S+)/g)].map((m) => m[1]!);
    expect(scripts).toEqual(['./infra/scripts/grant-graph-permission.sh', './infra/scripts/grant-graph-permission.ps1']);
    for (const script of scripts) expect(existsSync(script)).toBe(true);
    expect(statSync('infra/scripts/grant-graph-permission.sh').mode & 0o111).not.toBe(0);
    expect(dirname(scripts[0]!)).toBe('./infra/scripts');
  });
});

