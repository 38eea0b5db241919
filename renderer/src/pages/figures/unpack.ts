/** The dashboard's compact metrics transfer (runs:metrics with `encoding: 'f64'`), decoded. */
import type { RunSeries } from '../../../../shared/api/channels/metrics';
import type { SeriesInput } from '../../../../shared/figures/model';

/**
 * base64 of little-endian float64 values → those values, NaN where the line has no such key. Kept
 * as a Float64Array (the pipeline reads NaN as missing): boxing them into a (number | null)[] was
 * most of the decoding time and garbage of a 50-run figure.
 */
export function decodeColumn(b64: string): Float64Array {
  const text = atob(b64);
  const bytes = new Uint8Array(text.length & ~7);
  for (let i = 0; i < bytes.length; i++) bytes[i] = text.charCodeAt(i);
  return new Float64Array(bytes.buffer);
}

/** A series as the figure pipeline reads it: `packed` columns decoded into `columns`. */
export function unpackSeries(s: RunSeries): SeriesInput {
  if (!s.packed) return s;
  const columns: SeriesInput['columns'] = { ...s.columns };
  for (const [k, b64] of Object.entries(s.packed)) columns[k] = decodeColumn(b64);
  const { packed: _packed, ...rest } = s;
  return { ...rest, columns };
}
