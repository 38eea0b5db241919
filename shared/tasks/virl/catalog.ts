/**
 * The named cities. Mirroring the paper (train on New York, test visual OOD on the V-IRL mini
 * benchmark's cities), one city is in distribution and eight others are visual OOD. They are
 * procedural stand-ins: the names give each a distinct style and street-name flavour, nothing
 * here is real geography.
 */
import { hex, type CityStyle } from './style';

/** Street-grid parameters of a city. */
export interface LayoutParams {
  /** Grid columns and rows of nodes. */
  cols: number;
  rows: number;
  /** Block size along the grid's x and y axes, metres. */
  blockX: number;
  blockY: number;
  /**
   * Grid rotation, degrees clockwise. Kept within ±12° with near-square blocks so the grid gives
   * north/east/south/west streets and the diagonals give the four intercardinal directions: every
   * city then has all 8 compass directions.
   */
  rotation: number;
  /** Random displacement of every node, metres (streets are not perfectly straight). */
  jitter: number;
  /** Number of diagonal avenues in each of the two diagonal directions. */
  diagonals: number;
  /** Share of grid edges removed (closed streets, parks). */
  removeShare: number;
  /** Expected landmarks per block face. */
  landmarkDensity: number;
}

export interface CitySpec {
  id: string;
  name: string;
  split: 'id' | 'ood';
  seed: number;
  layout: LayoutParams;
  style: CityStyle;
  /** Words used to build street and landmark names in the city's flavour. */
  words: string[];
  /** Street suffixes: [for rows, for columns, for diagonals]. */
  suffixes: [string, string, string];
}

const L = (cols: number, rows: number, blockX: number, blockY: number, rotation: number, diagonals: number): LayoutParams => ({
  cols, rows, blockX, blockY, rotation, jitter: 4, diagonals, removeShare: 0.06, landmarkDensity: 0.9,
});

export const CITY_SPECS: readonly CitySpec[] = [
  {
    id: 'nyc', name: 'New York', split: 'id', seed: 1001, layout: L(9, 8, 110, 75, 8, 1),
    style: {
      sky: { kind: 'clear', top: hex(0x5b8fd6), bottom: hex(0xc9def5) },
      ground: { road: hex(0x4a4a4c), sidewalk: hex(0xa8a39a), marking: hex(0xf2f2f2) },
      facades: [hex(0x8c4b3a), hex(0xa35d45), hex(0x7a6a5c), hex(0xb9a98f), hex(0x5f5a55)],
      window: hex(0x2d3540), trim: hex(0xd8d0c0), facadePattern: 'grid',
      sign: { boards: [hex(0x1f3a5f), hex(0x7a1f1f), hex(0x1e4d2b), hex(0x222222)], text: hex(0xffffff), border: hex(0xd9b44a) },
      font: { weight: 0, slant: 0, serif: false, condensed: false, tall: false, tracking: 1 },
      furniture: ['lamp', 'hydrant', 'tree'],
    },
    words: ['Hudson', 'Bleecker', 'Astor', 'Madison', 'Carver', 'Delancey', 'Mercer', 'Kenmare', 'Lafayette', 'Bowery', 'Greene', 'Thompson', 'Crosby', 'Orchard', 'Ludlow', 'Rivington'],
    suffixes: ['St', 'Ave', 'Way'],
  },
  {
    id: 'milan', name: 'Milan', split: 'ood', seed: 2002, layout: L(8, 8, 85, 85, 12, 1),
    style: {
      sky: { kind: 'haze', top: hex(0x9fb4c8), bottom: hex(0xe3e6e2) },
      ground: { road: hex(0x6b6660), sidewalk: hex(0xc7bba5), marking: hex(0xe8e2d0) },
      facades: [hex(0xe0b07a), hex(0xd98f5f), hex(0xf0d9a8), hex(0xc97d5d)],
      window: hex(0x3b4a3f), trim: hex(0xf5ecd9), facadePattern: 'arches',
      sign: { boards: [hex(0x2b2b2b), hex(0x5a3d2b), hex(0x6b1f2a)], text: hex(0xf3e6c4), border: hex(0x9c8456) },
      font: { weight: 0, slant: 0, serif: true, condensed: false, tall: true, tracking: 1 },
      furniture: ['lamp', 'bollard'],
    },
    words: ['Brera', 'Dante', 'Moscova', 'Solari', 'Torino', 'Verdi', 'Manzoni', 'Sarpi', 'Navigli', 'Spiga', 'Cadorna', 'Volta', 'Garibaldi', 'Tortona'],
    suffixes: ['Via', 'Corso', 'Viale'],
  },
  {
    id: 'new-delhi', name: 'New Delhi', split: 'ood', seed: 3003, layout: L(8, 7, 120, 95, -9, 2),
    style: {
      sky: { kind: 'haze', top: hex(0xc8b98f), bottom: hex(0xf1e6c6) },
      ground: { road: hex(0x5d5850), sidewalk: hex(0xb59f7e), marking: hex(0xf0e14a) },
      facades: [hex(0xe8d7b0), hex(0xd46a4c), hex(0xf2c14e), hex(0xa7c4a0)],
      window: hex(0x40382e), trim: hex(0xffffff), facadePattern: 'columns',
      sign: { boards: [hex(0xd6362b), hex(0x1b4f9c), hex(0x0f7a4a)], text: hex(0xffef9f), border: hex(0xffffff) },
      font: { weight: 1, slant: 0, serif: false, condensed: false, tall: false, tracking: 1 },
      furniture: ['tree', 'kiosk', 'bollard'],
    },
    words: ['Janpath', 'Lodhi', 'Rajpath', 'Khan', 'Chandni', 'Hauz', 'Karol', 'Nehru', 'Ashoka', 'Sundar', 'Lajpat', 'Mehrauli', 'Saket', 'Jor'],
    suffixes: ['Marg', 'Road', 'Path'],
  },
  {
    id: 'buenos-aires', name: 'Buenos Aires', split: 'ood', seed: 4004, layout: L(9, 9, 95, 95, 4, 1),
    style: {
      sky: { kind: 'clear', top: hex(0x3f7fc4), bottom: hex(0xbfd9ef) },
      ground: { road: hex(0x3e3c3a), sidewalk: hex(0xb3a48e), marking: hex(0xffffff) },
      facades: [hex(0xe9e2d0), hex(0x9fb7c9), hex(0xd7a9a0), hex(0xc4c9a3)],
      window: hex(0x26343a), trim: hex(0xfaf6ec), facadePattern: 'panels',
      sign: { boards: [hex(0x2e6f9e), hex(0x111111), hex(0x8f2f5b)], text: hex(0xfafafa), border: hex(0x4fb3d9) },
      font: { weight: 0, slant: 1, serif: false, condensed: false, tall: false, tracking: 1 },
      furniture: ['tree', 'lamp', 'kiosk'],
    },
    words: ['Corrientes', 'Florida', 'Defensa', 'Alvear', 'Palermo', 'Santa Fe', 'Callao', 'Belgrano', 'Pueyrredon', 'Lavalle', 'Rivadavia', 'Cabildo'],
    suffixes: ['Calle', 'Avenida', 'Diagonal'],
  },
  {
    id: 'london', name: 'London', split: 'ood', seed: 5005, layout: L(8, 8, 90, 70, -6, 2),
    style: {
      sky: { kind: 'overcast', top: hex(0x8a9099), bottom: hex(0xc9ccd1) },
      ground: { road: hex(0x3c3d40), sidewalk: hex(0x8f8f8c), marking: hex(0xf0d000) },
      facades: [hex(0x7b3f2e), hex(0xe5dfd0), hex(0x5c4b3f), hex(0x3f4f5c)],
      window: hex(0xe9e4d6), trim: hex(0xf7f4ec), facadePattern: 'brick',
      sign: { boards: [hex(0x0d2a4a), hex(0x1d3b2a), hex(0x5c0f1c)], text: hex(0xe6c86e), border: hex(0x111111) },
      font: { weight: 0, slant: 0, serif: true, condensed: true, tall: false, tracking: 1 },
      furniture: ['lamp', 'bollard', 'kiosk'],
    },
    words: ['Camden', 'Strand', 'Holborn', 'Fleet', 'Chelsea', 'Baker', 'Oxford', 'Regent', 'Kings', 'Marylebone', 'Soho', 'Borough', 'Bankside', 'Angel'],
    suffixes: ['Road', 'Street', 'Lane'],
  },
  {
    id: 'hong-kong', name: 'Hong Kong', split: 'ood', seed: 6006, layout: L(8, 7, 70, 60, 10, 1),
    style: {
      sky: { kind: 'haze', top: hex(0xa6b9c4), bottom: hex(0xdfe7ea) },
      ground: { road: hex(0x353535), sidewalk: hex(0x9a9e9c), marking: hex(0xe5c32a) },
      facades: [hex(0xd9dcd6), hex(0x8fa8a4), hex(0xc7b8a0), hex(0x6d7f8c)],
      window: hex(0x1e2a33), trim: hex(0xbfc7c9), facadePattern: 'bands',
      sign: { boards: [hex(0xc41e1e), hex(0xf2b705), hex(0x0b6e4f), hex(0x1a1a5e)], text: hex(0xffffff), border: hex(0xf2b705) },
      font: { weight: 1, slant: 0, serif: false, condensed: true, tall: true, tracking: 0 },
      furniture: ['bollard', 'lamp'],
    },
    words: ['Nathan', 'Queens', 'Wan Chai', 'Mong Kok', 'Hennessy', 'Lockhart', 'Jordan', 'Canton', 'Kowloon', 'Tai Hang', 'Sheung', 'Stanley'],
    suffixes: ['Road', 'Street', 'Path'],
  },
  {
    id: 'melbourne', name: 'Melbourne', split: 'ood', seed: 7007, layout: L(9, 7, 130, 80, -3, 1),
    style: {
      sky: { kind: 'clear', top: hex(0x2f87d1), bottom: hex(0xaed4f0) },
      ground: { road: hex(0x45474a), sidewalk: hex(0xb0aaa0), marking: hex(0xffffff) },
      facades: [hex(0xc2b280), hex(0x7e8c79), hex(0xd9d4c5), hex(0x9e6b4f)],
      window: hex(0x33424d), trim: hex(0x2b2b2b), facadePattern: 'panels',
      sign: { boards: [hex(0x004b87), hex(0xe35205), hex(0x2b2b2b)], text: hex(0xffffff), border: hex(0xffffff) },
      font: { weight: 1, slant: 1, serif: false, condensed: false, tall: false, tracking: 2 },
      furniture: ['tree', 'lamp', 'bollard'],
    },
    words: ['Flinders', 'Collins', 'Swanston', 'Bourke', 'Lonsdale', 'Elizabeth', 'Spencer', 'Lygon', 'Fitzroy', 'Exhibition', 'Degraves', 'Hosier'],
    suffixes: ['Street', 'Lane', 'Parade'],
  },
  {
    id: 'lagos', name: 'Lagos', split: 'ood', seed: 8008, layout: L(8, 8, 100, 85, -11, 2),
    style: {
      sky: { kind: 'sunset', top: hex(0xe0945a), bottom: hex(0xf6d7a8) },
      ground: { road: hex(0x514a43), sidewalk: hex(0xb98d5e), marking: hex(0xf5f5f5) },
      facades: [hex(0x3f8f6b), hex(0xe2c044), hex(0xd7d2c8), hex(0xc95d3f)],
      window: hex(0x2c2420), trim: hex(0xf2efe8), facadePattern: 'columns',
      sign: { boards: [hex(0x9ed99a), hex(0xf5c400), hex(0xf2efe6)], text: hex(0x111111), border: hex(0x0a7a3b) },
      font: { weight: 1, slant: -1, serif: false, condensed: false, tall: true, tracking: 0 },
      furniture: ['palm', 'kiosk', 'bollard'],
    },
    words: ['Broad', 'Marina', 'Awolowo', 'Adeola', 'Akin', 'Ikoyi', 'Bode', 'Ozumba', 'Ahmadu', 'Yaba', 'Obalende', 'Sanusi'],
    suffixes: ['Street', 'Road', 'Way'],
  },
  {
    id: 'san-francisco', name: 'San Francisco', split: 'ood', seed: 9009, layout: L(9, 8, 105, 80, 2, 1),
    style: {
      sky: { kind: 'overcast', top: hex(0xb3bcc4), bottom: hex(0xe9ecee) },
      ground: { road: hex(0x4b4b4b), sidewalk: hex(0xbdb6aa), marking: hex(0xffffff) },
      facades: [hex(0xf0e6d2), hex(0xa8c3bc), hex(0xe8b4a0), hex(0xc9c1e0)],
      window: hex(0x4d5e6b), trim: hex(0xffffff), facadePattern: 'grid',
      sign: { boards: [hex(0xb5432f), hex(0x2f5d8a), hex(0x3b3b3b)], text: hex(0xfff6e0), border: hex(0xe0a33a) },
      font: { weight: 0, slant: 1, serif: true, condensed: false, tall: false, tracking: 1 },
      furniture: ['tree', 'lamp', 'hydrant'],
    },
    words: ['Sutter', 'Geary', 'Powell', 'Stockton', 'Mason', 'Hyde', 'Polk', 'Valencia', 'Castro', 'Mission', 'Folsom', 'Howard', 'Larkin', 'Grant'],
    suffixes: ['St', 'Ave', 'Blvd'],
  },
];

/** The training (in-distribution) city id. */
export const TRAINING_CITY = 'nyc';

export function findCitySpec(idOrName: string): CitySpec | undefined {
  const key = idOrName.trim().toLowerCase();
  return CITY_SPECS.find((c) => c.id === key || c.name.toLowerCase() === key);
}
