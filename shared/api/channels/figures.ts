/**
 * Channels of the figure studio's file output (issue 6): saving a figure, its view spec and its
 * CSV into the export folder of the settings, and rendering a vector PDF with Electron's
 * printToPDF (desktop app only). The server never takes a path from the page: only a plain file
 * name with one of a fixed set of extensions, joined to the configured folder.
 */
import { z } from 'zod';

/** What may be saved: the figure formats, its CSV and its view spec (`<name>.view.json`). */
export const EXPORT_EXTENSIONS = ['svg', 'png', 'pdf', 'csv', 'json'] as const;
export type ExportExtension = (typeof EXPORT_EXTENSIONS)[number];
/** Binary formats travel base64-encoded; the others as text. */
const BINARY: ReadonlySet<string> = new Set(['png', 'pdf']);
/** The first bytes a binary export must start with, so a mislabelled file is refused, not saved. */
const MAGIC: Record<string, { bytes: number[]; what: string }> = {
  png: { bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], what: 'PNG' },
  pdf: { bytes: [0x25, 0x50, 0x44, 0x46, 0x2d], what: 'PDF (%PDF-)' },
};

/**
 * Characters of content one save may carry, all files together (about 12 MB of PNG/PDF once
 * base64-decoded). The browser-mode WebSocket cap (electron/api/dispatch.ts) is derived from it.
 */
export const MAX_EXPORT_CHARS = 16 * 1024 * 1024;
/** A figure, its CSV and its view spec, plus one spare. */
export const MAX_EXPORT_FILES = 4;
export const MAX_EXPORT_NAME_CHARS = 120;

/** Windows device names are not files on Windows, whatever the extension (`nul.svg`). */
const RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\.|$)/i;

/** The extension of an export file name, or null when it is not one of EXPORT_EXTENSIONS. */
export function exportExtension(name: string): ExportExtension | null {
  const ext = name.slice(name.lastIndexOf('.') + 1).toLowerCase();
  return name.includes('.') && (EXPORT_EXTENSIONS as readonly string[]).includes(ext) ? (ext as ExportExtension) : null;
}

/** Why a name cannot be an export file's name, or null when it can (one reason, the first that applies). */
export function exportNameProblem(name: string): string | null {
  const shown = JSON.stringify(name.length > 60 ? `${name.slice(0, 60)}…` : name);
  if (name.length === 0) return 'file name is empty';
  if (name.length > MAX_EXPORT_NAME_CHARS) return `file name is longer than ${MAX_EXPORT_NAME_CHARS} characters`;
  if (/[/\\]/.test(name) || name.includes('..')) return `${shown} is not a plain file name (no "/", "\\" or "..")`;
  if (!/^[A-Za-z0-9][A-Za-z0-9 ._()+-]*$/.test(name)) return `${shown}: a file name starts with a letter or digit and holds only letters, digits, spaces and . _ - ( ) +`;
  if (/[ .]$/.test(name)) return `${shown}: a file name must not end in a space or a dot`;
  if (RESERVED.test(name)) return `${shown} is a reserved device name on Windows`;
  if (exportExtension(name) === null) return `${shown}: an export must end in ${EXPORT_EXTENSIONS.map((e) => `.${e}`).join(', ')}`;
  return null;
}

export const exportNameSchema = z.string().refine((s) => exportNameProblem(s) === null, {
  error: (issue) => (typeof issue.input === 'string' ? exportNameProblem(issue.input) : null) ?? 'invalid file name',
});

const BASE64_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** The first bytes of a base64 string (shared/ has neither atob nor Buffer). */
function base64Head(text: string, bytes: number): number[] {
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of text.slice(0, Math.ceil((bytes * 4) / 3) + 4)) {
    const d = BASE64_DIGITS.indexOf(ch);
    if (d < 0) break;
    value = (value << 6) | d;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push((value >> bits) & 0xff);
      if (out.length === bytes) break;
    }
  }
  return out;
}

/** Why text cannot be an export of this kind (`svg`, `json`, other), or null. */
export function exportTextProblem(text: string, kind: string): string | null {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(text)) return 'text contains control characters';
  // A lone surrogate is not text (it has no UTF-8 encoding), and JSON would escape it to 6 bytes.
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text)) return 'text is not valid Unicode (a lone surrogate)';
  if (kind === 'svg' && !/<svg[\s>]/.test(text.slice(0, 4096))) return 'content is not an SVG document (no <svg> element at its start)';
  if (kind === 'json') {
    try {
      JSON.parse(text);
    } catch {
      return 'content is not valid JSON';
    }
  }
  return null;
}

/** Why a file's content does not fit its name and encoding, or null. */
export function exportContentProblem(file: { name: string; encoding: string; content: string }): string | null {
  const ext = exportExtension(file.name);
  if (ext === null) return null; // reported on the name
  const binary = BINARY.has(ext);
  if (binary && file.encoding !== 'base64') return `${file.name} is binary: send its bytes base64-encoded (encoding "base64")`;
  if (!binary && file.encoding !== 'utf8') return `${file.name} is text: send it as text (encoding "utf8")`;
  if (file.content.length === 0) return `${file.name} is empty`;
  if (binary) {
    if (file.content.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(file.content)) return `${file.name}: content is not valid base64`;
    const magic = MAGIC[ext];
    if (magic && base64Head(file.content, magic.bytes.length).some((b, i) => b !== magic.bytes[i])) return `${file.name}: content is not a ${magic.what} file`;
    return null;
  }
  const problem = exportTextProblem(file.content, ext);
  return problem ? `${file.name}: ${problem}` : null;
}

export const exportFileSchema = z
  .object({
    name: exportNameSchema,
    encoding: z.enum(['utf8', 'base64']),
    content: z.string().max(MAX_EXPORT_CHARS, `content is longer than ${MAX_EXPORT_CHARS} characters`),
  })
  .strict()
  .superRefine((file, ctx) => {
    if (typeof file.name !== 'string' || typeof file.content !== 'string' || file.content.length > MAX_EXPORT_CHARS) return;
    const problem = exportContentProblem(file);
    if (problem) ctx.addIssue({ code: 'custom', path: ['content'], message: problem });
  });
export type ExportFile = z.infer<typeof exportFileSchema>;

export const saveRequestSchema = z
  .object({ files: z.array(exportFileSchema).min(1, 'files names no file').max(MAX_EXPORT_FILES, `at most ${MAX_EXPORT_FILES} files per save`) })
  .strict()
  .superRefine((req, ctx) => {
    if (!Array.isArray(req.files)) return;
    const sizes = req.files.map((f) => (typeof f?.content === 'string' ? f.content.length : 0));
    const total = sizes.reduce((n, c) => n + c, 0);
    // A single oversize file is already reported on its own content.
    if (total > MAX_EXPORT_CHARS && sizes.every((c) => c <= MAX_EXPORT_CHARS)) ctx.addIssue({ code: 'custom', path: ['files'], message: `the files hold ${total} characters together, more than the ${MAX_EXPORT_CHARS} one save may carry` });
    // Case-insensitive: on macOS and Windows `A.svg` and `a.svg` are the same file.
    const seen = new Set<string>();
    for (const f of req.files) {
      const key = typeof f?.name === 'string' ? f.name.toLowerCase() : '';
      if (key && seen.has(key)) ctx.addIssue({ code: 'custom', path: ['files'], message: `${f.name} is named twice` });
      seen.add(key);
    }
  });

export const pdfRequestSchema = z
  .object({
    svg: z.string().max(MAX_EXPORT_CHARS, `svg is longer than ${MAX_EXPORT_CHARS} characters`).superRefine((svg, ctx) => {
      // The same checks as a saved .svg file.
      const problem = svg.length === 0 ? 'svg is empty' : svg.length > MAX_EXPORT_CHARS ? null : exportTextProblem(svg, 'svg');
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
    /** The page: the figure's size in inches (the figure studio's limits). */
    widthIn: z.number().min(1).max(20),
    heightIn: z.number().min(1).max(20),
  })
  .strict();

export const figuresChannels = {
  'figures:save': {
    method: 'saveFigureFiles',
    summary: `Saves up to ${MAX_EXPORT_FILES} export files (.svg/.png/.pdf/.csv/.json; PNG and PDF base64) into the export folder of the settings, creating it; never overwrites: when a name is taken the whole set gets the first free numeric suffix (fig-2.svg, fig-2.csv, …).`,
    request: saveRequestSchema,
    response: z.object({
      /** The folder written to (absolute). */
      dir: z.string(),
      /** The names written, in request order. */
      files: z.array(z.string()),
      /** The suffix added because a name was taken (2, 3, …), or null. */
      suffix: z.number().int().nullable(),
    }),
  },
  'figures:pdf': {
    method: 'printFigurePdf',
    summary: "A vector PDF of a figure's SVG on a page of its size, by Electron's printToPDF (desktop app only; browser mode prints from the page).",
    request: pdfRequestSchema,
    response: z.object({ base64: z.string(), bytes: z.number().int() }),
  },
} as const;
