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

/** A version-4-shaped UUID derived from two integers. */
export function uuidFrom(a: number, b: number): string {
  const hex = (n: number) => n.toString(16).padStart(8, '0');
  const w0 = hash32(a, b);
  const w1 = hash32(w0, b ^ 0x5bd1e995);
  const w2 = hash32(w1, a ^ 0x27d4eb2f);
  const w3 = hash32(w2, w0);
  const s = hex(w0) + hex(w1) + hex(w2) + hex(w3);
  const variant = ((parseInt(s[16], 16) & 0x3) | 0x8).toString(16);
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-4${s.slice(13, 16)}-${variant}${s.slice(17, 20)}-${s.slice(20, 32)}`;
}
