/**
 * The figure-export channels through `dispatch`, as the renderer calls them: figures:save writes
 * into the export folder of the settings (created when missing, the default when unset), never
 * outside it and never over an existing file; figures:pdf renders through the context's printer
 * (the desktop app's) and is refused with a clear message in browser mode.
 * (Bad payloads of every field are in bad-payloads/figures.ts, run by contract.test.ts.)
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { dispatch, MAX_PAYLOAD_BYTES } from '../../../electron/api/dispatch';
import { ExportError, MAX_SUFFIX, numberedName, saveExportFiles } from '../../../electron/figures/export-folder';
import { writeFileAtomic } from '../../../electron/runs/store';
import { MAX_EXPORT_CHARS, saveRequestSchema } from '../../../shared/api/channels/figures';
import type { Response } from '../../../shared/api/contract';
import { DEFAULT_DASHBOARD } from '../../../shared/api/settings';
import { testContext } from '../../helpers/api';
import { snapshotTree } from '../../helpers/tmp';

const SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="6in" height="3.5in" viewBox="0 0 576 336"><text x="10" y="20">Success (%)</text></svg>';
const PNG_BYTES = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from([0, 0, 0, 13, 0xff, 0x00, 0x80, 0x7f])]);
const VIEW = `${JSON.stringify({ spec: { title: 'fig' } }, null, 2)}\n`;
const CSV = 'panel,series,role,x,y\n"ID, success",rl (n=2),mean,1.5,0.25\n';

const set = (stem = 'fig', figure: 'svg' | 'png' = 'svg') => ({
  files: [
    figure === 'svg' ? { name: `${stem}.svg`, encoding: 'utf8', content: SVG } : { name: `${stem}.png`, encoding: 'base64', content: PNG_BYTES.toString('base64') },
    { name: `${stem}.view.json`, encoding: 'utf8', content: VIEW },
    { name: `${stem}.csv`, encoding: 'utf8', content: CSV },
  ],
});

describe('figures:save', () => {
  let t: ReturnType<typeof testContext>;
  beforeEach(() => (t = testContext()));
  afterEach(() => {
    vi.restoreAllMocks();
    t.cleanup();
  });

  async function save(payload: unknown): Promise<Response<'figures:save'>> {
    const r = await dispatch(t.ctx, 'figures:save', payload);
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    return JSON.parse(JSON.stringify(r.data)) as Response<'figures:save'>;
  }
  const useFolder = (dir: string | null) => t.ctx.settings.set({ dashboard: { ...DEFAULT_DASHBOARD, exportDir: dir } });

  it('writes the set into the export folder of the settings, creating it, bytes and text exact', async () => {
    const folder = path.join(path.dirname(t.dataDir), 'paper', 'figures', 'gp');
    useFolder(folder);
    const res = await save(set('fig', 'png'));
    expect(res).toEqual({ dir: folder, files: ['fig.png', 'fig.view.json', 'fig.csv'], suffix: null });
    expect(fs.readFileSync(path.join(folder, 'fig.png')).equals(PNG_BYTES)).toBe(true);
    expect(fs.readFileSync(path.join(folder, 'fig.view.json'), 'utf8')).toBe(VIEW);
    expect(fs.readFileSync(path.join(folder, 'fig.csv'), 'utf8')).toBe(CSV);
    expect(fs.readdirSync(folder).sort()).toEqual(['fig.csv', 'fig.png', 'fig.view.json']); // no temporary files left
    expect(fs.existsSync(t.exportDir)).toBe(false); // the setting wins over the default
  });

  it('uses the default folder when the setting is empty', async () => {
    expect(t.ctx.settings.get().dashboard.exportDir).toBeNull();
    const res = await save(set());
    expect(res.dir).toBe(t.exportDir);
    expect(fs.readFileSync(path.join(t.exportDir, 'fig.svg'), 'utf8')).toBe(SVG);
  });

  it('never overwrites: a taken name numbers the whole set, and existing files keep their content', async () => {
    fs.mkdirSync(t.exportDir);
    fs.writeFileSync(path.join(t.exportDir, 'fig.svg'), 'an older figure');
    const first = await save(set());
    expect(first).toMatchObject({ files: ['fig-2.svg', 'fig-2.view.json', 'fig-2.csv'], suffix: 2 });
    expect(fs.readFileSync(path.join(t.exportDir, 'fig.svg'), 'utf8')).toBe('an older figure');
    // Only the CSV's name is taken at -3 (by hand): the set skips to -4 and keeps one stem.
    fs.writeFileSync(path.join(t.exportDir, 'fig-3.csv'), 'mine');
    const second = await save(set());
    expect(second).toMatchObject({ files: ['fig-4.svg', 'fig-4.view.json', 'fig-4.csv'], suffix: 4 });
    expect(fs.readFileSync(path.join(t.exportDir, 'fig-3.csv'), 'utf8')).toBe('mine');
    expect(fs.existsSync(path.join(t.exportDir, 'fig-3.svg'))).toBe(false);
    // Another format: every bare name is free again (the SVG's set went to -2), so no suffix ...
    expect(await save(set('fig', 'png'))).toMatchObject({ files: ['fig.png', 'fig.view.json', 'fig.csv'], suffix: null });
    // ... and the next PNG skips -2 (view spec and CSV taken), -3 (CSV) and -4 (all).
    expect((await save(set('fig', 'png'))).files).toEqual(['fig-5.png', 'fig-5.view.json', 'fig-5.csv']);
    expect(fs.readFileSync(path.join(t.exportDir, 'fig-2.csv'), 'utf8')).toBe(CSV);
  });

  it('counts folders and dangling links as taken names, and never writes through a link', async () => {
    fs.mkdirSync(path.join(t.exportDir, 'fig.svg'), { recursive: true });
    const outside = path.join(path.dirname(t.dataDir), 'outside.csv');
    fs.symlinkSync(outside, path.join(t.exportDir, 'fig-2.csv')); // dangling: points nowhere yet
    const res = await save(set());
    expect(res.suffix).toBe(3);
    expect(fs.existsSync(outside)).toBe(false);
  });

  it('refuses an export folder that is a file, and leaves the file alone', async () => {
    const file = path.join(path.dirname(t.dataDir), 'not-a-folder');
    fs.writeFileSync(file, 'keep me');
    useFolder(file);
    const r = await dispatch(t.ctx, 'figures:save', set());
    expect(r).toEqual({ ok: false, error: { code: 'bad_request', message: `figures:save: the export folder ${file} is not a folder (a file has that path); choose another in Settings` } });
    expect(fs.readFileSync(file, 'utf8')).toBe('keep me');
  });

  it('rolls back and renumbers when another writer takes a name between the check and the write', async () => {
    fs.mkdirSync(t.exportDir);
    fs.writeFileSync(path.join(t.exportDir, 'fig.csv'), 'written by someone else');
    // The check does not see fig.csv once (as if it appeared just after): the exclusive write must.
    const real = fs.lstatSync;
    let hidden = false;
    vi.spyOn(fs, 'lstatSync').mockImplementation(((p: fs.PathLike, o?: fs.StatSyncOptions) => {
      if (!hidden && String(p).endsWith(`${path.sep}fig.csv`)) {
        hidden = true;
        throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      }
      return real(p, o);
    }) as typeof fs.lstatSync);
    const linked: string[] = [];
    const realLink = fs.linkSync;
    vi.spyOn(fs, 'linkSync').mockImplementation((from: fs.PathLike, to: fs.PathLike) => {
      linked.push(path.basename(String(to)));
      realLink(from, to);
    });
    const res = await save(set());
    expect(hidden).toBe(true);
    // The first attempt wrote two files, then met the taken name; the second wrote all three.
    expect(linked).toEqual(['fig.svg', 'fig.view.json', 'fig.csv', 'fig-2.svg', 'fig-2.view.json', 'fig-2.csv']);
    expect(res.files).toEqual(['fig-2.svg', 'fig-2.view.json', 'fig-2.csv']);
    expect(fs.readFileSync(path.join(t.exportDir, 'fig.csv'), 'utf8')).toBe('written by someone else');
    // What the failed attempt had written was its own, and is gone.
    expect(fs.readdirSync(t.exportDir).sort()).toEqual(['fig-2.csv', 'fig-2.svg', 'fig-2.view.json', 'fig.csv']);
  });

  it('gives up with a clear error after the last suffix', () => {
    const dir = path.join(t.exportDir, 'full');
    fs.mkdirSync(dir, { recursive: true });
    for (let n = 1; n <= MAX_SUFFIX; n++) fs.writeFileSync(path.join(dir, numberedName('fig.svg', n)), '');
    expect(() => saveExportFiles(dir, [{ name: 'fig.svg', data: SVG }])).toThrow(/already holds fig\.svg and its numbered copies up to -999/);
  });

  it('refuses, in the writer itself, a name that would leave the folder (defence in depth)', () => {
    for (const name of ['../evil.svg', '/etc/evil.svg', 'a/b.svg']) {
      expect(() => saveExportFiles(t.exportDir, [{ name, data: SVG }])).toThrow(ExportError);
    }
    expect(snapshotTree(t.exportDir)).toEqual({});
    expect(fs.existsSync(path.join(path.dirname(t.exportDir), 'evil.svg'))).toBe(false);
  });

  it('numbers before the first dot', () => {
    expect(numberedName('fig.view.json', 2)).toBe('fig-2.view.json');
    expect(numberedName('fig.svg', 1)).toBe('fig.svg');
    expect(numberedName('fig', 3)).toBe('fig-3');
  });

  it('keeps the largest valid save under the browser-mode message cap, even in the worst text', () => {
    // 3 UTF-8 bytes per character is the most export text can take once JSON-encoded.
    const content = '€'.repeat(MAX_EXPORT_CHARS - SVG.length - 20);
    const payload = { files: [{ name: 'fig.csv', encoding: 'utf8', content }, { name: 'fig.svg', encoding: 'utf8', content: SVG }] };
    expect(saveRequestSchema.safeParse(payload).success).toBe(true);
    expect(Buffer.byteLength(JSON.stringify({ id: 1, channel: 'figures:save', payload }))).toBeLessThan(MAX_PAYLOAD_BYTES);
  });
});

describe('writeFileAtomic, exclusive', () => {
  let t: ReturnType<typeof testContext>;
  beforeEach(() => {
    t = testContext();
    fs.mkdirSync(t.exportDir);
  });
  afterEach(() => t.cleanup());

  it('creates a new file, and refuses an existing one with EEXIST, leaving it and no temporary file', () => {
    const file = path.join(t.exportDir, 'a.csv');
    writeFileAtomic(file, 'first', { exclusive: true });
    expect(() => writeFileAtomic(file, 'second', { exclusive: true })).toThrow(expect.objectContaining({ code: 'EEXIST' }));
    expect(fs.readFileSync(file, 'utf8')).toBe('first');
    expect(fs.readdirSync(t.exportDir)).toEqual(['a.csv']);
    writeFileAtomic(file, 'replaced'); // without exclusive it still replaces, as the run store needs
    expect(fs.readFileSync(file, 'utf8')).toBe('replaced');
  });

  it('falls back to an exclusive create where hard links are unsupported', () => {
    const file = path.join(t.exportDir, 'b.png');
    const link = vi.spyOn(fs, 'linkSync').mockImplementation(() => {
      throw Object.assign(new Error('operation not permitted'), { code: 'EPERM' });
    });
    writeFileAtomic(file, PNG_BYTES, { exclusive: true });
    expect(fs.readFileSync(file).equals(PNG_BYTES)).toBe(true);
    expect(() => writeFileAtomic(file, 'other', { exclusive: true })).toThrow(expect.objectContaining({ code: 'EEXIST' }));
    expect(fs.readFileSync(file).equals(PNG_BYTES)).toBe(true);
    expect(fs.readdirSync(t.exportDir)).toEqual(['b.png']);
    link.mockRestore();
  });
});

describe('figures:pdf', () => {
  let t: ReturnType<typeof testContext>;
  beforeEach(() => (t = testContext()));
  afterEach(() => t.cleanup());

  it('is refused in browser mode with a message saying where PDF comes from instead', async () => {
    const r = await dispatch(t.ctx, 'figures:pdf', { svg: SVG, widthIn: 6, heightIn: 3.5 });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatchObject({ code: 'bad_request', message: expect.stringMatching(/^figures:pdf: .*desktop app only \(this is browser mode\).*Save as PDF/) });
  });

  it("returns the desktop app's printer output as base64, for the page of the figure's size", async () => {
    const bytes = Buffer.from('%PDF-1.7\n…vector figure…\n%%EOF\n');
    const printPdf = vi.fn(async () => new Uint8Array(bytes));
    t.ctx.printPdf = printPdf;
    const r = await dispatch(t.ctx, 'figures:pdf', { svg: SVG, widthIn: 6, heightIn: 3.5 });
    expect(r).toEqual({ ok: true, data: { base64: bytes.toString('base64'), bytes: bytes.length } });
    expect(printPdf).toHaveBeenCalledWith(SVG, { widthIn: 6, heightIn: 3.5 });
    // And the bytes can go straight into the export folder.
    const saved = await dispatch(t.ctx, 'figures:save', { files: [{ name: 'fig.pdf', encoding: 'base64', content: bytes.toString('base64') }] });
    expect(saved.ok).toBe(true);
    expect(fs.readFileSync(path.join(t.exportDir, 'fig.pdf')).equals(bytes)).toBe(true);
  });

  it('reports a printer failure as an internal error naming the channel', async () => {
    t.ctx.printPdf = async () => {
      throw new Error('printing the figure to PDF took longer than 30 s');
    };
    const r = await dispatch(t.ctx, 'figures:pdf', { svg: SVG, widthIn: 6, heightIn: 3.5 });
    expect(r).toEqual({ ok: false, error: { code: 'internal', message: 'figures:pdf failed: printing the figure to PDF took longer than 30 s' } });
  });
});
