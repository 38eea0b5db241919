/** The dashboard's compact metrics transfer (runs:metrics with `encoding: 'f64'`), decoded. */
import type { RunSeries } from '../../../../shared/api/channels/metrics';

/** base64 of little-endian float64 values → numbers, NaN (a line without the key) → null. */
export function decodeColumn(b64: string): (number | null)[] {
  const text = atob(b64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  const floats = new Float64Array(bytes.buffer, 0, bytes.length >> 3);
  const out = new Array<number | null>(floats.length);
  for (let i = 0; i < floats.length; i++) {
    const v = floats[i] as number;
    out[i] = Number.isNaN(v) ? null : v;
  }
  return out;
}

/** A series as the figure pipeline reads it: `packed` columns decoded into `columns`. */
export function unpackSeries(s: RunSeries): RunSeries {
  if (!s.packed) return s;
  const columns: RunSeries['columns'] = { ...s.columns };
  for (const [k, b64] of Object.entries(s.packed)) columns[k] = decodeColumn(b64);
  const { packed: _packed, ...rest } = s;
  return { ...rest, columns };
}
