/**
 * Export of the map as it is shown (current pan and zoom, current step) as a standalone SVG file:
 * theme colours resolved and inlined (the page's CSS variables do not travel with the file), a
 * title and description, and a background so it reads the same in any viewer or in LaTeX.
 */
import { downloadBlob } from '../../download';

/** Properties the map's classes set; everything else is attributes already. */
const PROPS = [
  'fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-opacity', 'stroke-dasharray', 'stroke-linecap', 'stroke-linejoin',
  'opacity', 'font-family', 'font-size', 'font-weight', 'paint-order', 'display',
] as const;

/** Serialises `svg` with inline styles; `title` names the file's content, `desc` says what it shows. */
export function standaloneSvg(svg: SVGSVGElement, title: string, desc: string): string {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const originals = [svg, ...Array.from(svg.querySelectorAll('*'))];
  const copies = [clone, ...Array.from(clone.querySelectorAll('*'))];
  originals.forEach((el, i) => {
    const copy = copies[i];
    if (!copy) return;
    const cs = getComputedStyle(el);
    const style = PROPS.map((p) => [p, cs.getPropertyValue(p)] as const)
      .filter(([p, v]) => v !== '' && !(p === 'display' && v !== 'none'))
      .map(([p, v]) => `${p}:${v}`)
      .join(';');
    if (style) copy.setAttribute('style', style);
    copy.removeAttribute('class');
    copy.removeAttribute('data-testid');
  });
  // Elements hidden by the theme (display: none) are dropped rather than shipped invisible.
  for (const el of Array.from(clone.querySelectorAll('[style*="display:none"]'))) el.remove();
  clone.removeAttribute('role');
  clone.removeAttribute('aria-label');
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  const [, , w = 800, h = 600] = (clone.getAttribute('viewBox') ?? '').split(/\s+/).map(Number);
  // A physical size at ~2 px per metre, capped, so the file opens at a sensible size.
  const k = Math.min(2, 1600 / Math.max(w, h, 1));
  clone.setAttribute('width', String(Math.round(w * k)));
  clone.setAttribute('height', String(Math.round(h * k)));
  for (const old of Array.from(clone.querySelectorAll(':scope > title, :scope > desc'))) old.remove();
  const ns = 'http://www.w3.org/2000/svg';
  const d = document.createElementNS(ns, 'desc');
  d.textContent = desc;
  clone.insertBefore(d, clone.firstChild);
  const t = document.createElementNS(ns, 'title');
  t.textContent = title;
  clone.insertBefore(t, clone.firstChild);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(clone)}\n`;
}

/** Starts a download of `text` named `fileName`. */
export function download(fileName: string, text: string, type = 'image/svg+xml'): void {
  downloadBlob(fileName, new Blob([text], { type }));
}

/** A file name from a label: letters, digits and dashes. */
export function safeFileName(label: string): string {
  return label.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 80) || 'map';
}
