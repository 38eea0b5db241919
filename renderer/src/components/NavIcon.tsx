import type { RouteId } from '../routes';

/** Line icons for the navigation, drawn inline so they never depend on a font having the glyph. */
const PATHS: Record<RouteId, string> = {
  runs: 'M3 4h14M3 8h14M3 12h14M3 16h9',
  new: 'M10 3v14M3 10h14',
  cards: 'M5 3h7l3 3v11H5z M8 9c0-1.5 2-1.5 2-3 0 1.5 2 1.5 2 3s-2 1.5-2 0c0 1.5-2 1.5-2 0z',
  map: 'M2 5l5-2 6 2 5-2v12l-5 2-6-2-5 2z M7 3v12 M13 5v12',
  figures: 'M3 17V3 M3 17h14 M6 13l3-4 3 2 4-6',
  settings: 'M10 7a3 3 0 1 0 0 6 3 3 0 0 0 0-6z M10 2v2.5 M10 15.5V18 M2 10h2.5 M15.5 10H18 M4.3 4.3l1.8 1.8 M13.9 13.9l1.8 1.8 M4.3 15.7l1.8-1.8 M13.9 6.1l1.8-1.8',
};

export function NavIcon({ id }: { id: RouteId }) {
  return (
    <svg className="nav-icon" viewBox="0 0 20 20" width="18" height="18" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round">
      <path d={PATHS[id]} />
    </svg>
  );
}
