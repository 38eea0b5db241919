/**
 * Bad payloads for the figure-export channels (see core.ts for the format). contract.test.ts
 * also checks that none of them writes anything into the export folder.
 */
import { MAX_EXPORT_CHARS } from '../../../../shared/api/channels/figures';
import { HUGE, type BadCase } from './core';

const SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="1in" height="1in"><text>x</text></svg>';
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]).toString('base64');
const file = (patch: Record<string, unknown>) => ({ name: 'fig.svg', encoding: 'utf8', content: SVG, ...patch });
const save = (...patches: Record<string, unknown>[]) => ({ files: patches.map(file) });
const pdf = (patch: Record<string, unknown>) => ({ svg: SVG, widthIn: 6, heightIn: 3.5, ...patch });

export const figuresBadPayloads: Record<string, BadCase[]> = {
  'figures:save': [
    ['missing files', {}, /files/],
    ['files not an array', { files: 'fig.svg' }, /expected array/i],
    ['no file', { files: [] }, /names no file/],
    ['too many files', save(...['a', 'b', 'c', 'd', 'e'].map((n) => ({ name: `${n}.svg` }))), /at most 4 files/],
    ['parent traversal', save({ name: '../evil.svg' }), /not a plain file name/],
    ['deep traversal', save({ name: '../../../../etc/cron.d/x.json', encoding: 'utf8', content: '{}' }), /not a plain file name/],
    ['absolute path', save({ name: '/etc/passwd.csv' }), /not a plain file name/],
    ['Windows path', save({ name: 'C:\\Users\\x\\fig.svg' }), /not a plain file name/],
    ['dots inside the name', save({ name: 'fig..svg' }), /not a plain file name/],
    ['hidden file', save({ name: '.fig.svg' }), /starts with a letter or digit/],
    ['NUL in the name', save({ name: 'fig\u0000.svg' }), /starts with a letter or digit/],
    ['newline in the name', save({ name: 'fig\n.svg' }), /starts with a letter or digit/],
    ['trailing dot', save({ name: 'fig.svg.' }), /must not end in a space or a dot/],
    ['Windows device name', save({ name: 'NUL.svg' }), /reserved device name/],
    ['wrong extension', save({ name: 'fig.exe' }), /must end in \.svg, \.png, \.pdf, \.csv, \.json/],
    ['executable after an allowed extension', save({ name: 'fig.svg.sh' }), /must end in/],
    ['html', save({ name: 'fig.html' }), /must end in/],
    ['no extension', save({ name: 'figure' }), /must end in/],
    ['empty name', save({ name: '' }), /file name is empty/],
    ['huge name', save({ name: `${HUGE}.svg` }), /longer than 120 characters/],
    ['number as name', save({ name: 7 }), /name/],
    ['unknown encoding', save({ encoding: 'hex' }), /encoding/],
    ['PNG sent as text', save({ name: 'fig.png', encoding: 'utf8', content: 'PNG' }), /fig\.png is binary: send its bytes base64-encoded/],
    ['SVG sent as base64', save({ encoding: 'base64', content: Buffer.from(SVG).toString('base64') }), /fig\.svg is text/],
    ['broken base64', save({ name: 'fig.png', encoding: 'base64', content: 'iVBO!!!!' }), /not valid base64/],
    ['not a PNG', save({ name: 'fig.png', encoding: 'base64', content: Buffer.from('<svg>hello</svg>').toString('base64') }), /fig\.png: content is not a PNG file/],
    ['a PNG named .pdf', save({ name: 'fig.pdf', encoding: 'base64', content: PNG }), /fig\.pdf: content is not a PDF/],
    ['not an SVG', save({ content: '<html><script>alert(1)</script></html>' }), /not an SVG document/],
    ['invalid JSON', save({ name: 'fig.view.json', content: '{"spec":' }), /fig\.view\.json: content is not valid JSON/],
    ['empty content', save({ name: 'fig.csv', content: '' }), /fig\.csv is empty/],
    ['control characters', save({ name: 'fig.csv', content: 'a,b\u0000\n' }), /control characters/],
    ['lone surrogate', save({ name: 'fig.csv', content: 'a,\ud800b\n' }), /lone surrogate/],
    ['oversize file', save({ name: 'fig.csv', content: 'x'.repeat(MAX_EXPORT_CHARS + 1) }), new RegExp(`content is longer than ${MAX_EXPORT_CHARS} characters`)],
    ['oversize together', save({ name: 'a.csv', content: 'x'.repeat(MAX_EXPORT_CHARS / 2 + 1) }, { name: 'b.csv', content: 'y'.repeat(MAX_EXPORT_CHARS / 2 + 1) }), /more than the \d+ one save may carry/],
    ['same name twice', save({ name: 'fig.svg' }, { name: 'FIG.svg' }), /FIG\.svg is named twice/],
    ['a folder in the request', { files: [file({})], dir: '/tmp' }, /Unrecognized key/i],
    ['a path in a file', save({ path: '/etc/passwd' }), /Unrecognized key/i],
    ['prototype pollution', JSON.parse(`{"files": [${JSON.stringify(file({}))}], "__proto__": {"polluted": true}}`), /Unrecognized|files/],
  ],
  'figures:pdf': [
    ['missing svg', { widthIn: 6, heightIn: 3.5 }, /svg/],
    ['empty svg', pdf({ svg: '' }), /svg is empty/],
    ['not an SVG', pdf({ svg: '<html><body>hi</body></html>' }), /not an SVG document/],
    ['control characters', pdf({ svg: `${SVG}\u0007` }), /control characters/],
    ['huge svg', pdf({ svg: `<svg>${'x'.repeat(MAX_EXPORT_CHARS)}` }), /svg is longer than/],
    ['zero width', pdf({ widthIn: 0 }), /widthIn/],
    ['huge height', pdf({ heightIn: 100 }), /heightIn/],
    ['NaN width', pdf({ widthIn: Number.NaN }), /widthIn/],
    ['string size', pdf({ heightIn: '3in' }), /heightIn/],
    ['an output path', pdf({ out: '/tmp/x.pdf' }), /Unrecognized key/i],
  ],
};
