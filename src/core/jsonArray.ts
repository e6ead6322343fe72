/**
 * Reads a JSON array from UTF-8 bytes element by element, handing each element to `map` as soon as it
 * is parsed. A page of 1,000 System Log events is about 2 MB: parsed whole, its object graph (~15 MB)
 * outlives the young generation and is promoted, and decoded whole it is a 2 MB string in the old
 * generation; either way the heap grows by pages until a full collection. Here each event is decoded
 * and parsed on its own (about 2 KB), so its objects die young and only what `map` keeps survives.
 *
 * The scan only finds where each element ends, tracking nesting and strings; `JSON.parse` validates
 * every element itself. Working on bytes is safe for UTF-8: the bytes of multi-byte characters are all
 * 0x80 or above, so they never look like quotes, brackets or backslashes.
 */
export class JsonArrayReader {
  /** Offset of the next element, or -1 once the closing bracket was read. */
  private at: number;

  constructor(private readonly bytes: Buffer) {
    const start = skipSpace(bytes, 0);
    if (bytes[start] !== OPEN_ARRAY) throw new SyntaxError('the body is not a JSON array');
    this.at = skipSpace(bytes, start + 1);
    if (bytes[this.at] === CLOSE_ARRAY) this.close(this.at);
  }

  /** Reads up to `max` more elements into `out`; true once the whole array has been read. */
  read<T>(max: number, map: (item: unknown) => T, out: T[]): boolean {
    const bytes = this.bytes;
    for (let n = 0; n < max && this.at >= 0; n++) {
      const end = valueEnd(bytes, this.at);
      out.push(map(JSON.parse(bytes.toString('utf8', this.at, end))));
      const i = skipSpace(bytes, end);
      const c = bytes[i];
      if (c === COMMA) this.at = skipSpace(bytes, i + 1);
      else if (c === CLOSE_ARRAY) this.close(i);
      else throw new SyntaxError(i >= bytes.length ? 'the array is cut off' : `unexpected text at offset ${i}`);
    }
    return this.at < 0;
  }

  private close(bracket: number): void {
    if (skipSpace(this.bytes, bracket + 1) !== this.bytes.length) throw new SyntaxError('text after the array');
    this.at = -1;
  }
}

/** The whole array at once (see `JsonArrayReader`). */
export function parseJsonArray<T>(bytes: Buffer, map: (item: unknown) => T): T[] {
  const out: T[] = [];
  new JsonArrayReader(bytes).read(Infinity, map, out);
  return out;
}

const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const COMMA = 0x2c;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function skipSpace(bytes: Buffer, i: number): number {
  for (;;) {
    const c = bytes[i];
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return i;
    i++;
  }
}

/** The offset just past the value starting at `start`. */
function valueEnd(bytes: Buffer, start: number): number {
  const first = bytes[start];
  if (first === QUOTE) return stringEnd(bytes, start + 1);
  if (first !== OPEN_OBJECT && first !== OPEN_ARRAY) {
    // A number, true, false or null: it runs to the next separator.
    let i = start;
    while (i < bytes.length) {
      const c = bytes[i];
      if (c === COMMA || c === CLOSE_ARRAY || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) break;
      i++;
    }
    if (i === start) throw new SyntaxError(i >= bytes.length ? 'the array is cut off' : `unexpected text at offset ${i}`);
    return i;
  }
  let depth = 0;
  let i = start;
  while (i < bytes.length) {
    const c = bytes[i];
    if (c === QUOTE) {
      i = stringEnd(bytes, i + 1);
      continue;
    }
    if (c === OPEN_OBJECT || c === OPEN_ARRAY) depth++;
    else if ((c === CLOSE_OBJECT || c === CLOSE_ARRAY) && --depth === 0) return i + 1;
    i++;
  }
  throw new SyntaxError('the array is cut off');
}

/** The offset just past the closing quote of a string whose content starts at `i`. */
function stringEnd(bytes: Buffer, i: number): number {
  for (;;) {
    const quote = bytes.indexOf(QUOTE, i);
    if (quote < 0) throw new SyntaxError('the array is cut off inside a string');
    let backslashes = 0;
    while (bytes[quote - 1 - backslashes] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    i = quote + 1;
  }
}
