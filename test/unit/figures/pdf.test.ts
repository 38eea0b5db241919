/**
 * The printToPDF module with a fake BrowserWindow (the Electron binary is not needed): the window
 * it opens is locked down, the document holds the SVG on a page of the figure's size, printToPDF
 * gets that size with no margins, and the window and temporary file never outlive the call.
 * test/e2e/figures.test.ts prints the same document in real Chromium.
 */
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { pdfDocument, PDF_DOCUMENT_CSP, printSvgToPdf, type PdfPrintOptions, type PdfWindow, type PdfWindowOptions } from '../../../electron/figures/pdf';

const SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="6in" height="3.5in" viewBox="0 0 576 336"><text x="10" y="20">Success (%)</text></svg>';
const PDF = new TextEncoder().encode('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n');

/** What every fake window saw. */
interface Seen {
  options?: PdfWindowOptions;
  file?: string;
  html?: string;
  print?: PdfPrintOptions;
  destroyed: boolean;
}

function fakeWindow(behaviour: { load?: () => Promise<void>; print?: () => Promise<Uint8Array> } = {}) {
  const seen: Seen = { destroyed: false };
  class FakeWindow implements PdfWindow {
    constructor(options: PdfWindowOptions) {
      seen.options = options;
    }
    async loadFile(file: string): Promise<void> {
      seen.file = file;
      seen.html = fs.readFileSync(file, 'utf8');
      await behaviour.load?.();
    }
    webContents = {
      printToPDF: async (options: PdfPrintOptions): Promise<Uint8Array> => {
        seen.print = options;
        return behaviour.print ? behaviour.print() : PDF;
      },
    };
    destroy(): void {
      seen.destroyed = true;
    }
  }
  return { FakeWindow, seen };
}

describe('printSvgToPdf (Electron printToPDF, fake window)', () => {
  const leftovers: string[] = [];
  afterEach(() => {
    for (const f of leftovers.splice(0)) expect(fs.existsSync(f), `${f} was left behind`).toBe(false);
  });

  it('opens a hidden, sandboxed window without Node, preload or JavaScript', async () => {
    const { FakeWindow, seen } = fakeWindow();
    await printSvgToPdf(FakeWindow, SVG, { widthIn: 6, heightIn: 3.5 });
    expect(seen.options).toEqual({
      show: false, width: 576, height: 336,
      webPreferences: {
        sandbox: true, contextIsolation: true, nodeIntegration: false, nodeIntegrationInWorker: false, nodeIntegrationInSubFrames: false,
        javascript: false, webSecurity: true, webviewTag: false, spellcheck: false,
      },
    });
    expect(seen.options?.webPreferences).not.toHaveProperty('preload');
  });

  it("prints the SVG alone on a page of the figure's size in inches, no margins, with backgrounds", async () => {
    const { FakeWindow, seen } = fakeWindow();
    const bytes = await printSvgToPdf(FakeWindow, SVG, { widthIn: 6, heightIn: 3.5 });
    expect(bytes).toEqual(PDF);
    expect(seen.print).toEqual({
      pageSize: { width: 6, height: 3.5 }, margins: { top: 0, bottom: 0, left: 0, right: 0 },
      printBackground: true, preferCSSPageSize: false, landscape: false, pageRanges: '1',
    });
    expect(seen.html).toBe(pdfDocument(SVG, { widthIn: 6, heightIn: 3.5 }));
    expect(seen.html).toContain(`<meta http-equiv="Content-Security-Policy" content="${PDF_DOCUMENT_CSP}">`);
    expect(PDF_DOCUMENT_CSP).toMatch(/default-src 'none'/);
    expect(PDF_DOCUMENT_CSP).not.toMatch(/script-src/); // scripts fall under default-src 'none'
    expect(seen.html).toContain('@page{size:6in 3.5in;margin:0}');
    expect(seen.html).toContain(`<body>${SVG}</body>`);
    expect(seen.html).toContain('<title>figure</title>');
    expect(pdfDocument('<svg><title>GP &amp; V-IRL</title></svg>', { widthIn: 1, heightIn: 1 })).toContain('<title>GP &amp; V-IRL</title>');
    expect(seen.destroyed).toBe(true);
    leftovers.push(seen.file as string);
  });

  it('destroys the window and removes the file when loading fails', async () => {
    const { FakeWindow, seen } = fakeWindow({ load: async () => { throw new Error('ERR_FILE_NOT_FOUND'); } });
    await expect(printSvgToPdf(FakeWindow, SVG, { widthIn: 3, heightIn: 2 })).rejects.toThrow('ERR_FILE_NOT_FOUND');
    expect(seen.destroyed).toBe(true);
    expect(seen.print).toBeUndefined();
    leftovers.push(seen.file as string);
  });

  it('gives up on a window that never finishes loading, and cleans up', async () => {
    const { FakeWindow, seen } = fakeWindow({ load: () => new Promise<void>(() => {}) });
    await expect(printSvgToPdf(FakeWindow, SVG, { widthIn: 3, heightIn: 2 }, 50)).rejects.toThrow('loading the figure for PDF took longer than 0.05 s');
    expect(seen.destroyed).toBe(true);
    leftovers.push(seen.file as string);
  });

  it('refuses output that is not a PDF', async () => {
    const { FakeWindow, seen } = fakeWindow({ print: async () => new TextEncoder().encode('<html>') });
    await expect(printSvgToPdf(FakeWindow, SVG, { widthIn: 3, heightIn: 2 })).rejects.toThrow('printToPDF returned something that is not a PDF');
    expect(seen.destroyed).toBe(true);
    leftovers.push(seen.file as string);
  });
});
