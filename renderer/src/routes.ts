/** The pages of the workbench, in navigation order. The hash (`#/runs`) selects one. */
export const ROUTES = [
  { id: 'runs', title: 'Runs' },
  { id: 'new', title: 'New experiment' },
  { id: 'cards', title: 'Card inspector' },
  { id: 'map', title: 'Map viewer' },
  { id: 'figures', title: 'Figures' },
  { id: 'settings', title: 'Settings' },
] as const;

export type RouteId = (typeof ROUTES)[number]['id'];

export function routeFromHash(hash: string): RouteId {
  const id = hash.replace(/^#\/?/, '').split(/[/?]/)[0];
  return ROUTES.find((r) => r.id === id)?.id ?? 'runs';
}
