// `npm start`: Azurite for the queues, then the Functions host. Run from the repo root.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

if (!existsSync('local.settings.json')) {
  copyFileSync('local.settings.sample.json', 'local.settings.json');
  console.log('Created local.settings.json from local.settings.sample.json (edit it for your tenant).');
}

const localFunc = join('node_modules', '.bin', process.platform === 'win32' ? 'func.cmd' : 'func');
const func = existsSync(localFunc) ? localFunc : spawnSync('func', ['--version']).status === 0 ? 'func' : undefined;
if (!func) {
  console.error(
    [
      'Azure Functions Core Tools (`func`) is not installed.',
      'It is an optional dependency: its installer downloads the host from Microsoft, which failed or was skipped here.',
      'Install it one of these ways, then run `npm start` again:',
      '  npm install --global azure-functions-core-tools@4',
      '  brew tap azure/functions && brew install azure-functions-core-tools@4      (macOS)',
      '  winget install Microsoft.Azure.FunctionsCoreTools                          (Windows)',
      '  https://learn.microsoft.com/azure/azure-functions/functions-run-local        (Linux packages)',
    ].join('\n'),
  );
  process.exit(1);
}

const azuriteMain = join(dirname(require.resolve('azurite/package.json')), 'dist', 'src', 'azurite.js');
const azurite = spawn(process.execPath, [azuriteMain, '--silent', '--inMemoryPersistence', '--blobHost', '127.0.0.1', '--queueHost', '127.0.0.1', '--tableHost', '127.0.0.1'], {
  stdio: 'inherit',
});
console.log('Azurite (in memory) on 127.0.0.1:10000-10002');

const host = spawn(func, ['start'], { stdio: 'inherit', shell: process.platform === 'win32' });
const stop = () => {
  host.kill('SIGINT');
  azurite.kill('SIGINT');
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
host.on('exit', (code) => {
  azurite.kill('SIGINT');
  process.exit(code ?? 0);
});
