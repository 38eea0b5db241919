/**
 * A vector PDF of a figure's SVG through Electron's `webContents.printToPDF` (desktop app; browser
 * mode prints from the page instead). Chromium's PDF backend keeps SVG paths and text as vectors,
 * so the PDF is as sharp as the SVG and its text stays selectable.
 *
 * The SVG comes from the page, so it is shown in a window that can do nothing with it: hidden,
 * sandboxed, no Node, no preload, JavaScript off, and a CSP that forbids every fetch except
 * inline styles and data: images and fonts. (Navigation and new windows are also blocked for
 * every WebContents by window.ts, via app 'web-contents-created'.) The document is a temporary
 * file rather than a data: URL because Chromium caps URLs at 2 MB and a figure's SVG can be larger.
 *
 * Electron is not imported here: the caller passes `BrowserWindow` (main.ts), tests a fake, so this
 * is tested without the Electron binary.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The page: the figure's size in inches. */
export interface PdfPage {
  widthIn: number;
  heightIn: number;
}

/** What this module sets when it opens the window (a subset of BrowserWindowConstructorOptions). */
export interface PdfWindowOptions {
  show: false;
  width: number;
  height: number;
  webPreferences: {
    sandbox: true;
    contextIsolation: true;
    nodeIntegration: false;
    nodeIntegrationInWorker: false;
    nodeIntegrationInSubFrames: false;
    javascript: false;
    webSecurity: true;
    webviewTag: false;
    spellcheck: false;
  };
}

/** printToPDF's options as used here (inches, Electron ≥ 21). */
export interface PdfPrintOptions {
  pageSize: { width: number; height: number };
  margins: { top: number; bottom: number; left: number; right: number };
  printBackground: boolean;
  preferCSSPageSize: boolean;
  landscape: boolean;
  pageRanges: string;
}

/** The parts of Electron's BrowserWindow used here. */
export interface PdfWindow {
  loadFile(file: string): Promise<void>;
  webContents: { printToPDF(options: PdfPrintOptions): Promise<Uint8Array> };
  destroy(): void;
}
export type PdfWindowClass = new (options: PdfWindowOptions) => PdfWindow;

/** Renders an SVG to PDF bytes; ApiContext.printPdf in the desktop app. */
export type PdfPrinter = (svg: string, page: PdfPage) => Promise<Uint8Array>;

/** Loading and printing one figure takes well under a second; this only stops a hung window. */
export const PDF_TIMEOUT_MS = 30_000;
const PX_PER_IN = 96;

/** No scripts, no fetches: inline styles (the SVG's own) and data: images/fonts only. */
export const PDF_DOCUMENT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; base-uri 'none'; form-action 'none'";

/** The document printed: the SVG alone on a page of its size, nothing around it. */
export function pdfDocument(svg: string, page: PdfPage): string {
  // The SVG's own <title> (already XML-escaped) becomes the PDF's Title, not "figure.html".
  const title = /<title>([^<]{0,200})<\/title>/.exec(svg)?.[1] ?? 'figure';
  return [
    `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title>`,
    `<meta http-equiv="Content-Security-Policy" content="${PDF_DOCUMENT_CSP}">`,
    `<style>@page{size:${page.widthIn}in ${page.heightIn}in;margin:0}html,body{margin:0;padding:0;overflow:hidden;background:#fff}`,
    // The SVG fills the page exactly, whatever width/height attributes it came with.
    `body>svg{display:block;width:${page.widthIn}in;height:${page.heightIn}in}</style>`,
    `</head><body>${svg}</body></html>`,
  ].join('');
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Prints `svg` to a one-page PDF of `page`'s size with no margins; the window and file never outlive the call. */
export async function printSvgToPdf(Window: PdfWindowClass, svg: string, page: PdfPage, timeoutMs = PDF_TIMEOUT_MS): Promise<Uint8Array> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sftrl-pdf-'));
  const file = path.join(dir, 'figure.html');
  let win: PdfWindow | undefined;
  try {
    fs.writeFileSync(file, pdfDocument(svg, page), { mode: 0o600 });
    win = new Window({
      show: false,
      width: Math.round(page.widthIn * PX_PER_IN),
      height: Math.round(page.heightIn * PX_PER_IN),
      webPreferences: {
        sandbox: true, contextIsolation: true, nodeIntegration: false, nodeIntegrationInWorker: false, nodeIntegrationInSubFrames: false,
        javascript: false, webSecurity: true, webviewTag: false, spellcheck: false,
      },
    });
    const w = win;
    await withTimeout(w.loadFile(file), timeoutMs, 'loading the figure for PDF');
    const pdf = await withTimeout(
      w.webContents.printToPDF({
        pageSize: { width: page.widthIn, height: page.heightIn },
        margins: { top: 0, bottom: 0, left: 0, right: 0 },
        printBackground: true,
        preferCSSPageSize: false,
        landscape: false,
        // One figure, one page: a rounding overflow must not add a blank second page.
        pageRanges: '1',
      }),
      timeoutMs,
      'printing the figure to PDF',
    );
    if (pdf.length < 5 || String.fromCharCode(...pdf.subarray(0, 5)) !== '%PDF-') throw new Error('printToPDF returned something that is not a PDF');
    return pdf;
  } finally {
    win?.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
