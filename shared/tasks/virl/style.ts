/**
 * The visual style of a city: what its street views look like. A model trained on one city's
 * style is tested on others (visual out-of-distribution), so every field that changes how a
 * landmark looks, its sign font included, varies between cities.
 */

/** An RGB colour, each channel 0–255. */
export type Rgb = readonly [number, number, number];

/** How the bitmap sign font is drawn in a city: the same glyphs, styled differently. */
export interface FontVariant {
  /** Extra horizontal stroke pixels (0 = thin, 1 = bold). */
  weight: 0 | 1;
  /** Shear of the glyphs: -1 back-slanted, 0 upright, 1 italic. */
  slant: -1 | 0 | 1;
  /** Adds foot pixels at the baseline. */
  serif: boolean;
  /** Drops the middle column of each glyph (4 px wide glyphs). */
  condensed: boolean;
  /** Doubles the middle row (8 px tall glyphs). */
  tall: boolean;
  /** Extra pixels between letters. */
  tracking: 0 | 1 | 2;
}

export type FacadePattern = 'grid' | 'bands' | 'arches' | 'brick' | 'columns' | 'panels';
export type SkyKind = 'clear' | 'overcast' | 'sunset' | 'haze';
export type Furniture = 'lamp' | 'tree' | 'palm' | 'bollard' | 'kiosk' | 'hydrant';

export interface CityStyle {
  sky: { kind: SkyKind; top: Rgb; bottom: Rgb };
  /** Road surface, sidewalk and lane-marking colours. */
  ground: { road: Rgb; sidewalk: Rgb; marking: Rgb };
  /** Building colours, picked per building. */
  facades: Rgb[];
  /** Window / opening colour. */
  window: Rgb;
  /** Cornice and frame colour. */
  trim: Rgb;
  facadePattern: FacadePattern;
  /** Sign board colours (picked per landmark) and the text colour on them. */
  sign: { boards: Rgb[]; text: Rgb; border: Rgb };
  font: FontVariant;
  /** Street furniture drawn on the sidewalks, in order of frequency. */
  furniture: Furniture[];
}

/** A colour from a 0xRRGGBB literal: keeps the catalog readable. */
export function hex(v: number): Rgb {
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}
