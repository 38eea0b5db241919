/**
 * Exact rational numbers on plain JS numbers. Card values are integers ≤ 100 and a formula has
 * four of them, so every reduced numerator and denominator stays below 2^53 and the arithmetic is
 * exact (this is why `8/(3-8/3)` is exactly 24 here, while float evaluation gives 23.999…).
 */
export interface Rational {
  /** Numerator, sign carried here. */
  n: number;
  /** Denominator, always > 0; the pair is always reduced. */
  d: number;
}

export function gcd(a: number, b: number): number {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b !== 0) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

export function rat(n: number, d = 1): Rational {
  if (d === 0) throw new Error('rational with zero denominator');
  if (d < 0) {
    n = -n;
    d = -d;
  }
  const g = gcd(n, d) || 1;
  return { n: n / g, d: d / g };
}

export function add(a: Rational, b: Rational): Rational {
  return rat(a.n * b.d + b.n * a.d, a.d * b.d);
}

export function sub(a: Rational, b: Rational): Rational {
  return rat(a.n * b.d - b.n * a.d, a.d * b.d);
}

export function mul(a: Rational, b: Rational): Rational {
  return rat(a.n * b.n, a.d * b.d);
}

/** Returns null on division by zero (a value, not an exception: the verifier reports it). */
export function div(a: Rational, b: Rational): Rational | null {
  if (b.n === 0) return null;
  return rat(a.n * b.d, a.d * b.n);
}

export function equalsInt(a: Rational, k: number): boolean {
  return a.d === 1 && a.n === k;
}

/** `24`, `71/3`, `-5/2`. */
export function formatRational(a: Rational): string {
  return a.d === 1 ? String(a.n) : `${a.n}/${a.d}`;
}
