/**
 * Shared by the page reader's tests: the whole array read through `JsonArrayReader` as the page fetcher
 * reads it (a turn at a time until it says it is done), and an independent pick of `fields` from a
 * value `JSON.parse` built, to compare with.
 */
import { JsonArrayReader, type Fields } from '../../src/core/jsonArray';

/** Elements per `read` call: the page fetcher's turn, so the tests resume the reader as it does. */
const ITEMS_PER_TURN = 100;

export function readArray<T>(bytes: Buffer, map: (item: unknown) => T, fields?: Fields): T[] {
  const out: T[] = [];
  const reader = new JsonArrayReader(bytes, fields);
  while (!reader.read(ITEMS_PER_TURN, map, out));
  return out;
}

/** `fields` picked from a parsed value, without recursion (the reference for deep values too). */
export function pickReference(value: unknown, fields: Fields): unknown {
  const root: { v?: unknown } = {};
  const work: Array<{ value: unknown; fields: Fields; set: (v: unknown) => void }> = [{ value, fields, set: (v) => (root.v = v) }];
  while (work.length) {
    const { value: v, fields: f, set } = work.pop()!;
    if (Array.isArray(v)) {
      const out: unknown[] = new Array(v.length);
      set(out);
      v.forEach((x, i) => work.push({ value: x, fields: f, set: (y) => (out[i] = y) }));
    } else if (v === null || typeof v !== 'object') {
      set(v);
    } else {
      const out: Record<string, unknown> = {};
      set(out);
      for (const [name, x] of Object.entries(v)) {
        if (!Object.hasOwn(f, name)) continue;
        const sub = f[name];
        if (sub === true) out[name] = x;
        else work.push({ value: x, fields: sub, set: (y) => (out[name] = y) });
      }
    }
  }
  return root.v;
}
