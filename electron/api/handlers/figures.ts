/** Handlers of the figure-export channels: saving into the export folder, and printToPDF (desktop app). */
import type { figuresChannels } from '../../../shared/api/channels/figures';
import { ExportError, saveExportFiles } from '../../figures/export-folder';
import { defaultExportDir } from '../../paths';
import type { HandlerTable } from '../types';

export const figuresHandlers: HandlerTable<typeof figuresChannels> = {
  'figures:save': async (req, ctx) => {
    // The folder is the server's setting, never the page's: the request carries plain names only.
    const dir = ctx.settings.get().dashboard.exportDir ?? ctx.defaultExportDir ?? defaultExportDir();
    return saveExportFiles(dir, req.files.map((f) => ({ name: f.name, data: f.encoding === 'base64' ? Buffer.from(f.content, 'base64') : f.content })));
  },
  'figures:pdf': async (req, ctx) => {
    if (!ctx.printPdf) {
      throw new ExportError(`PDF rendering by Electron's printToPDF is available in the desktop app only (this is ${ctx.mode} mode); the PDF button here prints a vector page: choose "Save as PDF"`);
    }
    const bytes = await ctx.printPdf(req.svg, { widthIn: req.widthIn, heightIn: req.heightIn });
    return { base64: Buffer.from(bytes).toString('base64'), bytes: bytes.length };
  },
};
