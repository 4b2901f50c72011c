import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// The script runs against a stand-in `az` that answers like the real CLI and logs each call,
// so its logic (lookup, idempotence, the message on missing rights) is tested without Azure.
const SCRIPT = resolve('infra/scripts/grant-graph-permission.sh');
const PRINCIPAL = '4f6c2d1e-8a9b-4c3d-9e2f-1a2b3c4d5e6f';
const GRAPH_SP = 'a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d';
const ROLE_IDS: Record<string, string> = {
  'Files.ReadWrite.All': '75359482-378d-4052-8f01-80520e7db3cd',
  'Sites.ReadWrite.All': '9492366f-7969-46a4-8d15-ed1a20078fff',
};

const dir = mkdtempSync(join(tmpdir(), 'fake-az-'));
const log = join(dir, 'calls.log');
writeFileSync(
  join(dir, 'az'),
  `#!/bin/sh
printf '%s\\n' "$*" >> "${log}"
case "$*" in
  "cloud show"*) echo "https://graph.microsoft.com/" ;;
  "ad sp show"*"--query id "*) echo "${GRAPH_SP}" ;;
  "ad sp show"*Files.ReadWrite.All*) echo "${ROLE_IDS['Files.ReadWrite.All']}" ;;
  "ad sp show"*Sites.ReadWrite.All*) echo "${ROLE_IDS['Sites.ReadWrite.All']}" ;;
  "rest --method GET"*) echo "$FAKE_EXISTING" ;;
  "rest --method POST"*)
    if [ "$FAKE_POST" = "denied" ]; then
      echo "Forbidden({\\"error\\":{\\"code\\":\\"Authorization_RequestDenied\\",\\"message\\":\\"Insufficient privileges to complete the operation.\\"}})" >&2
      exit 1
    fi
    echo '{"id":"new-assignment"}' ;;
  *) echo "unexpected az call: $*" >&2; exit 3 ;;
esac
`,
);
chmodSync(join(dir, 'az'), 0o755);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(env: Record<string, string>) {
  writeFileSync(log, '');
  const result = spawnSync('sh', [SCRIPT], {
    encoding: 'utf8',
    env: { PATH: `${dir}:${process.env['PATH'] ?? ''}`, FAKE_EXISTING: '', FAKE_POST: '', ...env },
  });
  return { status: result.status, out: result.stdout + result.stderr, calls: readFileSync(log, 'utf8').trim().split('\n').filter(Boolean) };
}

describe('grant-graph-permission.sh', () => {
  it('assigns Files.ReadWrite.All of Microsoft Graph to the identity', () => {
    const { status, out, calls } = run({ MANAGED_IDENTITY_PRINCIPAL_ID: PRINCIPAL });
    expect(status).toBe(0);
    expect(out).toContain('Granted.');
    const post = calls.find((c) => c.startsWith('rest --method POST'))!;
    expect(post).toContain(`--url https://graph.microsoft.com/v1.0/servicePrincipals/${PRINCIPAL}/appRoleAssignments`);
    expect(post).toContain(`{"principalId":"${PRINCIPAL}","resourceId":"${GRAPH_SP}","appRoleId":"${ROLE_IDS['Files.ReadWrite.All']}"}`);
    expect(calls.some((c) => c.startsWith('ad sp show --id 00000003-0000-0000-c000-000000000000'))).toBe(true);
  });

  it('grants Sites.ReadWrite.All when asked', () => {
    const { status, calls } = run({ MANAGED_IDENTITY_PRINCIPAL_ID: PRINCIPAL, GRAPH_APP_PERMISSION: 'Sites.ReadWrite.All' });
    expect(status).toBe(0);
    expect(calls.find((c) => c.startsWith('rest --method POST'))).toContain(ROLE_IDS['Sites.ReadWrite.All']);
  });

  it('is idempotent: an existing assignment is left alone', () => {
    const { status, out, calls } = run({ MANAGED_IDENTITY_PRINCIPAL_ID: PRINCIPAL, FAKE_EXISTING: 'existing-assignment-id' });
    expect(status).toBe(0);
    expect(out).toContain('Already granted');
    expect(calls.some((c) => c.startsWith('rest --method POST'))).toBe(false);
  });

  it('says who may grant it, and what to run, when the signed-in user lacks the right', () => {
    const { status, out } = run({ MANAGED_IDENTITY_PRINCIPAL_ID: PRINCIPAL, FAKE_POST: 'denied' });
    expect(status).toBe(1);
    expect(out).toContain('Privileged Role Administrator');
    expect(out).toContain(`MANAGED_IDENTITY_PRINCIPAL_ID=${PRINCIPAL} GRAPH_APP_PERMISSION=Files.ReadWrite.All ./infra/scripts/grant-graph-permission.sh`);
  });

  it('refuses to guess: no identity, or a permission other than the two, stops before any call', () => {
    const missing = run({});
    expect(missing.status).toBe(2);
    expect(missing.out).toContain('MANAGED_IDENTITY_PRINCIPAL_ID is not set');
    const wrong = run({ MANAGED_IDENTITY_PRINCIPAL_ID: PRINCIPAL, GRAPH_APP_PERMISSION: 'Directory.ReadWrite.All' });
    expect(wrong.status).toBe(2);
    expect([...missing.calls, ...wrong.calls]).toEqual([]);
  });

  it('can be skipped for deployers who leave it to an admin', () => {
    const { status, out, calls } = run({ MANAGED_IDENTITY_PRINCIPAL_ID: PRINCIPAL, GRAPH_PERMISSION_SKIP: 'true' });
    expect(status).toBe(0);
    expect(out).toContain('accessDenied');
    expect(calls).toEqual([]);
  });
});
