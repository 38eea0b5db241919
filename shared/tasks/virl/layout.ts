/**
 * Street-graph generation: a jittered, rotated grid with diagonal avenues in both diagonal
 * directions. The rotation plus the diagonals make every one of the 8 compass directions occur
 * as a street heading (a plain compass-aligned grid would give only 4).
 */
import type { Rng } from '../../util/rng';
import type { LayoutParams } from './catalog';
import type { Vec2 } from './geo';
import type { Street, StreetEdge, StreetNode } from './types';

interface RawEdge { a: number; b: number; street: number; removable: boolean; removed: boolean }

export interface StreetGraph {
  nodes: StreetNode[];
  edges: StreetEdge[];
  streets: Street[];
}

/** Builds the graph; `streetNames` must hold at least rows + cols + 2·diagonals names. */
export function buildStreetGraph(p: LayoutParams, rng: Rng, streetNames: readonly string[]): StreetGraph {
  const theta = (p.rotation * Math.PI) / 180;
  const positions: Vec2[] = [];
  for (let j = 0; j < p.rows; j++) {
    for (let i = 0; i < p.cols; i++) {
      const u = (i - (p.cols - 1) / 2) * p.blockX + (rng.next() * 2 - 1) * p.jitter;
      const v = (j - (p.rows - 1) / 2) * p.blockY + (rng.next() * 2 - 1) * p.jitter;
      // Clockwise rotation in an east/north frame.
      positions.push({ x: u * Math.cos(theta) + v * Math.sin(theta), y: -u * Math.sin(theta) + v * Math.cos(theta) });
    }
  }
  const at = (i: number, j: number) => j * p.cols + i;
  const raw: RawEdge[] = [];
  const names: string[] = [];
  const nameOf = () => streetNames[names.length] ?? `Street ${names.length + 1}`;
  for (let j = 0; j < p.rows; j++) {
    names.push(nameOf());
    for (let i = 0; i + 1 < p.cols; i++) raw.push({ a: at(i, j), b: at(i + 1, j), street: names.length - 1, removable: true, removed: false });
  }
  for (let i = 0; i < p.cols; i++) {
    names.push(nameOf());
    for (let j = 0; j + 1 < p.rows; j++) raw.push({ a: at(i, j), b: at(i, j + 1), street: names.length - 1, removable: true, removed: false });
  }
  addDiagonals(p, rng, positions, raw, names, nameOf, at);
  removeSomeEdges(p, rng, positions.length, raw);
  const kept = raw.filter((e) => !e.removed);
  const nodes: StreetNode[] = positions.map((position, id) => ({ id, position, edges: [] }));
  const edges: StreetEdge[] = kept.map((e, id) => ({ id, a: e.a, b: e.b, street: e.street }));
  for (const e of edges) {
    (nodes[e.a] as StreetNode).edges.push(e.id);
    (nodes[e.b] as StreetNode).edges.push(e.id);
  }
  const streets: Street[] = names.map((name) => ({ name, pieces: [] }));
  // Edges were created in order along each street, so consecutive edges chain into pieces.
  for (const e of edges) {
    const street = streets[e.street] as Street;
    const last = street.pieces[street.pieces.length - 1];
    const lastNode = last?.[last.length - 1];
    if (last && lastNode === positions[e.a]) last.push(positions[e.b] as Vec2);
    else street.pieces.push([positions[e.a] as Vec2, positions[e.b] as Vec2]);
  }
  return { nodes, edges, streets };
}

function addDiagonals(
  p: LayoutParams, rng: Rng, positions: Vec2[], raw: RawEdge[], names: string[], nameOf: () => string,
  at: (i: number, j: number) => number,
): void {
  interface Step { from: number; to: number; street: number }
  const cells = new Map<string, Step[]>();
  const order: Array<{ key: string; step: Step }> = [];
  for (const dir of [1, -1] as const) {
    // Start columns spread over the grid so diagonals of one family never share a cell.
    const starts = rng.shuffle(Array.from({ length: p.cols - 2 }, (_, k) => k + 1)).slice(0, p.diagonals);
    for (const i0 of starts) {
      names.push(nameOf());
      const street = names.length - 1;
      for (let j = 0, i = i0; j + 1 < p.rows && i + dir >= 0 && i + dir < p.cols; j++, i += dir) {
        const key = `${Math.min(i, i + dir)},${j}`;
        const step = { from: at(i, j), to: at(i + dir, j + 1), street };
        cells.set(key, [...(cells.get(key) ?? []), step]);
        order.push({ key, step });
      }
    }
  }
  const centres = new Map<string, number>();
  for (const { key, step } of order) {
    const shared = cells.get(key) ?? [];
    if (shared.length < 2) {
      raw.push({ a: step.from, b: step.to, street: step.street, removable: false, removed: false });
      continue;
    }
    // Two diagonals cross inside this block: meet at a new intersection in its centre.
    let c = centres.get(key);
    if (c === undefined) {
      const [s1, s2] = shared as [Step, Step];
      const ps = [s1.from, s1.to, s2.from, s2.to].map((n) => positions[n] as Vec2);
      positions.push({ x: ps.reduce((s, q) => s + q.x, 0) / 4, y: ps.reduce((s, q) => s + q.y, 0) / 4 });
      c = positions.length - 1;
      centres.set(key, c);
    }
    raw.push({ a: step.from, b: c, street: step.street, removable: false, removed: false });
    raw.push({ a: c, b: step.to, street: step.street, removable: false, removed: false });
  }
}

/** Closes a few grid edges, never disconnecting the graph or leaving a node with one street. */
function removeSomeEdges(p: LayoutParams, rng: Rng, nodeCount: number, raw: RawEdge[]): void {
  const target = Math.floor(raw.length * p.removeShare);
  const degree = new Array<number>(nodeCount).fill(0);
  for (const e of raw) {
    degree[e.a] = (degree[e.a] ?? 0) + 1;
    degree[e.b] = (degree[e.b] ?? 0) + 1;
  }
  let removed = 0;
  for (const e of rng.shuffle(raw)) {
    if (removed >= target) break;
    if (!e.removable || (degree[e.a] ?? 0) <= 2 || (degree[e.b] ?? 0) <= 2) continue;
    e.removed = true;
    if (!connected(nodeCount, raw)) {
      e.removed = false;
      continue;
    }
    degree[e.a] = (degree[e.a] ?? 0) - 1;
    degree[e.b] = (degree[e.b] ?? 0) - 1;
    removed++;
  }
}

function connected(nodeCount: number, raw: readonly RawEdge[]): boolean {
  const adj: number[][] = Array.from({ length: nodeCount }, () => []);
  for (const e of raw) {
    if (e.removed) continue;
    adj[e.a]?.push(e.b);
    adj[e.b]?.push(e.a);
  }
  const seen = new Uint8Array(nodeCount);
  const stack = [0];
  seen[0] = 1;
  let count = 1;
  while (stack.length > 0) {
    for (const n of adj[stack.pop() as number] ?? []) {
      if (!seen[n]) {
        seen[n] = 1;
        count++;
        stack.push(n);
      }
    }
  }
  return count === nodeCount;
}
