/** Decoder for Google's encoded polyline format (the `polyline` field of V-IRL route files). */

/** Decodes one encoded polyline into [lat, lng] pairs; throws on a malformed string. */
export function decodePolyline(encoded: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let i = 0;
  let lat = 0;
  let lng = 0;
  const next = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (i >= encoded.length) throw new Error(`encoded polyline ends in the middle of a value at character ${i}`);
      const b = encoded.charCodeAt(i++) - 63;
      if (b < 0 || b > 63) throw new Error(`encoded polyline has an invalid character at ${i}`);
      result |= (b & 0x1f) << shift;
      shift += 5;
      if (b < 0x20) break;
      if (shift > 30) throw new Error('encoded polyline value too long');
    }
    return result & 1 ? ~(result >> 1) : result >> 1;
  };
  while (i < encoded.length) {
    lat += next();
    lng += next();
    out.push([lat / 1e5, lng / 1e5]);
  }
  return out;
}
