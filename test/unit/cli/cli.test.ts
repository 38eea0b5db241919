import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../../electron/api/dispatch';
import { main } from '../../../electron/cli';
import { EXAMPLES_DIR, withSessionDataDir } from '../../../electron/cli/serve';
import { testContext } from '../../helpers/api';
import { tempDir } from '../../helpers/tmp';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

describe('sftrl CLI', () => {
  it('prints help listing its commands', async () => {
    const c = capture();
    expect(await main(['--help'], c.io)).toBe(0);
    expect(c.out.join('\n')).toMatch(/usage: sftrl <command>/);
    expect(c.out.join('\n')).toMatch(/info\s+print versions/);
    expect(c.out.join('\n')).toMatch(/serve\s+serve the workbench/);
  });

  it('names an unknown command and exits 2', async () => {
    const c = capture();
    expect(await main(['trian'], c.io)).toBe(2);
    expect(c.err[0]).toMatch(/unknown command "trian"/);
  });

  it('names an unknown flag and exits 2 without a stack trace', async () => {
    const c = capture();
    expect(await main(['info', '--jsno'], c.io)).toBe(2);
    expect(c.err[0]).toMatch(/unknown flag --jsno \(known: --json\)/);
    expect(c.err.join('\n')).not.toMatch(/at .*\.ts:\d+/);
  });

  it('runs as `npx sftrl info --json` in a child process, reporting the backend choice', async () => {
    const tmp = tempDir();
    try {
      const { stdout } = await promisify(execFile)(process.execPath, [path.resolve('bin/sftrl.mjs'), 'info', '--json'], {
        env: { ...process.env, SFTRL_CONFIG_DIR: path.join(tmp.dir, 'c'), SFTRL_DATA_DIR: path.join(tmp.dir, 'd') },
      });
      const info = JSON.parse(stdout) as { mode: string; backend: { name: string; skipped: { name: string }[] }; settings: { dataDir: string } };
      expect(info.mode).toBe('cli');
      expect(['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']).toContain(info.backend.name);
      expect(info.settings.dataDir).toBe(path.join(tmp.dir, 'd'));
    } finally {
      tmp.cleanup();
    }
  });
});

describe('sftrl serve --examples', () => {
  it('shows the shipped example results for the session without changing the saved data directory', async () => {
    const t = testContext();
    try {
      const settings = withSessionDataDir(t.ctx.settings, EXAMPLES_DIR);
      const ctx = { ...t.ctx, settings };
      const listed = await dispatch(ctx, 'runs:list', {});
      expect(listed.ok && (listed.data as { status: string }[]).length).toBe(9);
      expect(listed.ok && (listed.data as { status: string }[]).every((r) => r.status === 'completed')).toBe(true);
      expect(t.ctx.settings.get().dataDir).toBe(t.dataDir);
      // Picking a data directory in Settings ends the session's view and is saved as usual.
      settings.set({ dataDir: path.join(t.dataDir, 'mine') });
      expect(settings.get().dataDir).toBe(path.join(t.dataDir, 'mine'));
      expect(t.ctx.settings.get().dataDir).toBe(path.join(t.dataDir, 'mine'));
      const help = capture();
      expect(await main(['serve', '--help'], help.io)).toBe(0);
      expect(help.out.join('\n')).toMatch(/--examples\s+show the shipped example results/);
    } finally {
      t.cleanup();
    }
  });
});
