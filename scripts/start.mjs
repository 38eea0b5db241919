// `npm start`: builds what is missing, then launches the desktop app. Where the Electron runtime
// is not installed (its binary download failed), it says so in one line and serves browser mode.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

function ensureRendererBuilt() {
  const index = path.join(root, 'dist', 'renderer', 'index.html');
  const stale = !fs.existsSync(index) || fs.statSync(index).mtimeMs < Math.max(newestMtime(path.join(root, 'renderer')), newestMtime(path.join(root, 'shared')));
  if (!stale) return true;
  console.log('Building the user interface…');
  const r = spawnSync('npm', ['run', '--silent', 'build:renderer'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) {
    console.error('The user interface could not be built (see the error above).');
    return false;
  }
  return true;
}

/**
 * The Electron binary's path, or the reason it is unavailable. Read from the package's path.txt
 * rather than require('electron'), which would retry the failed download and print a stack trace.
 */
function electronBinary() {
  let pkgDir;
  try {
    pkgDir = path.dirname(require.resolve('electron/package.json'));
  } catch {
    return { reason: 'the electron package is not installed' };
  }
  const pathFile = path.join(pkgDir, 'path.txt');
  if (!fs.existsSync(pathFile)) return { reason: 'its binary could not be downloaded at npm install' };
  const rel = fs.readFileSync(pathFile, 'utf8').trim();
  const distDir = process.env.ELECTRON_OVERRIDE_DIST_PATH || path.join(pkgDir, 'dist');
  const bin = path.join(distDir, rel);
  return fs.existsSync(bin) ? { bin } : { reason: `its binary is missing (${bin})` };
}

if (!ensureRendererBuilt()) process.exit(1);
const electron = electronBinary();

if (electron.bin && !process.env.SFTRL_BROWSER_MODE) {
  const r = spawnSync('npm', ['run', '--silent', 'build:electron'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) process.exit(1);
  const child = spawn(electron.bin, [root], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  if (!electron.bin) console.log(`Electron runtime not installed (${electron.reason}); starting browser mode instead.`);
  const child = spawn(process.execPath, [path.join(root, 'bin', 'sftrl.mjs'), 'serve', ...process.argv.slice(2)], { stdio: 'inherit' });
  const forward = (signal) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', (code) => process.exit(code ?? 0));
}
