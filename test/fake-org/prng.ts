/**
 * Small deterministic randomness: the same seed must give the same org on every machine, so no
 * `Math.random` anywhere in generated data.
 */

/** mulberry32: 32-bit state, fast, good enough for test data. Returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit mix of two integers, so per-event details can be derived without storing them. */
export function hash32(a: number, b: number): number {
  let h = (Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x632be5ab, 0xc2b2ae35)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d) >>> 0;
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

export function pick<T>(items: readonly T[], r: number): T {
  return items[Math.floor(r * items.length) % items.length];
}

const ALNUM = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Okta-style ids: a 3-character prefix (`00u`, `0oa`, …) then base62, 20 characters in all. */
export function oktaId(prefix: string, a: number, b: number): string {
  let out = prefix;
  let h = hash32(a, b);
  for (let i = 0; out.length < 20; i++) {
    if (i % 5 === 4) h = hash32(h + i, b ^ a);
    out += ALNUM[h % 62];
    h = Math.floor(h / 62);
  }
  return out;
}

const HEX_BYTE = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Eight lowercase hex digits; table lookups, as this runs several times per served event. */
export function hex32(n: number): string {
  return HEX_BYTE[n >>> 24] + HEX_BYTE[(n >>> 16) & 255] + HEX_BYTE[(n >>> 8) & 255] + HEX_BYTE[n & 255];
}

/** `len` hex digits derived from two integers. */
export function hexFrom(len: number, a: number, b: number): string {
  let out = '';
  for (let i = 0; out.length < len; i++) out += hex32(hash32(a + i, b));
  return out.length === len ? out : out.slice(0, len);
}

/** A version-4-shaped UUID derived from two integers. */
export function uuidFrom(a: number, b: number): string {
  const w0 = hash32(a, b);
  const w1 = hash32(w0, b ^ 0x5bd1e995);
  const w2 = hash32(w1, a ^ 0x27d4eb2f);
  const w3 = hash32(w2, w0);
  const s1 = hex32(w1);
  const s2 = hex32(((w2 & 0x3fffffff) | 0x80000000) >>> 0);
  return `${hex32(w0)}-${s1.slice(0, 4)}-4${s1.slice(5, 8)}-${s2.slice(0, 4)}-${s2.slice(4, 8)}${hex32(w3)}`;
}

const TWO = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const THREE = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
let isoDay = NaN;
let isoDayText = '';

/** `Date.prototype.toISOString()` for years 1970–9999, without a Date per call. */
export function isoFrom(ms: number): string {
  const day = Math.floor(ms / 86_400_000);
  if (day !== isoDay) {
    isoDay = day;
    isoDayText = new Date(day * 86_400_000).toISOString().slice(0, 11);
  }
  let r = ms - day * 86_400_000;
  const h = Math.floor(r / 3_600_000);
  r -= h * 3_600_000;
  const m = Math.floor(r / 60_000);
  r -= m * 60_000;
  const sec = Math.floor(r / 1000);
  return `${isoDayText}${TWO[h]}:${TWO[m]}:${TWO[sec]}.${THREE[r - sec * 1000]}Z`;
}
