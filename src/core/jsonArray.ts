/**
 * Reads a JSON array from UTF-8 bytes element by element, handing each element to `map` as soon as it
 * is parsed. A page of 1,000 System Log events is about 2 MB: parsed whole, its object graph (~15 MB)
 * outlives the young generation and is promoted, and decoded whole it is a 2 MB string in the old
 * generation; either way the heap grows by pages until a full collection.
 *
 * Given `fields`, each element is scanned once and only those fields are built: a sign-in needs about a
 * dozen short strings out of an event's 2 KB, so the other ~150 values of every event are checked and
 * skipped, never turned into objects (see `FieldScanner`). Without `fields`, each element is decoded and
 * given to `JSON.parse` on its own.
 *
 * Working on bytes is safe for UTF-8: the bytes of multi-byte characters are all 0x80 or above, so they
 * never look like quotes, brackets or backslashes.
 */
export class JsonArrayReader {
  /** Offset of the next element, or -1 once the closing bracket was read. */
  private at: number;
  private readonly scanner: FieldScanner;
  private readonly selection?: Selection;

  constructor(
    private readonly bytes: Buffer,
    fields?: Fields,
  ) {
    this.scanner = new FieldScanner(bytes);
    this.selection = fields && compile(fields);
    const start = skipSpace(bytes, 0);
    if (bytes[start] !== OPEN_ARRAY) throw new SyntaxError('the body is not a JSON array');
    this.at = skipSpace(bytes, start + 1);
    if (bytes[this.at] === CLOSE_ARRAY) this.close(this.at);
  }

  /** Reads up to `max` more elements into `out`; true once the whole array has been read. */
  read<T>(max: number, map: (item: unknown) => T, out: T[]): boolean {
    const bytes = this.bytes;
    const scanner = this.scanner;
    for (let n = 0; n < max && this.at >= 0; n++) {
      scanner.pos = this.at;
      let item: unknown;
      if (this.selection) {
        item = scanner.pick(this.selection);
      } else {
        scanner.skip();
        item = JSON.parse(bytes.toString('utf8', this.at, scanner.pos));
      }
      out.push(map(item));
      const i = skipSpace(bytes, scanner.pos);
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

/**
 * The members of an object to build: `true` keeps the whole value, nested `Fields` keep only those
 * members of an object value (or of each object in an array value). Everything else is skipped.
 */
export type Fields = { readonly [name: string]: true | Fields };

interface Selection {
  /** Member names as UTF-8 bytes, to compare keys without decoding them. */
  keys: Buffer[];
  names: string[];
  /** Per member: undefined keeps the whole value, otherwise the nested selection. */
  subs: (Selection | undefined)[];
}

function compile(fields: Fields): Selection {
  const names = Object.keys(fields);
  return {
    names,
    keys: names.map((n) => Buffer.from(n, 'utf8')),
    subs: names.map((n) => {
      const sub = fields[n];
      return sub === true ? undefined : compile(sub);
    }),
  };
}

/**
 * A single-pass JSON scanner over bytes. `skip` checks a value's syntax (structure, strings, numbers and
 * literals) and steps over it without building anything; `pick` builds only a selection of an object.
 * Values that are kept are decoded exactly as `JSON.parse` decodes them (escaped strings and anything
 * that is not a plain string go through `JSON.parse` itself), so the result equals the parsed value
 * reduced to the selection. Broken structure, numbers and literals raise a `SyntaxError` wherever they are, which is
 * what a body cut off or garbled in transit looks like; a skipped string is only checked for where it
 * ends (its escapes and control characters are not, as they are in a kept value).
 */
class FieldScanner {
  pos = 0;
  /** `skip`'s stack: the closing bracket of each object or array it is inside. Grows to the deepest value seen. */
  private readonly open: number[] = [];

  constructor(private readonly b: Buffer) {}

  /**
   * The value at `pos` reduced to `sel`; `pos` moves past it. Arrays nested in arrays are walked with
   * an explicit stack, so the only recursion is into a selected member's sub-selection: its depth is
   * the selection's, whatever the page holds.
   */
  pick(sel: Selection): unknown {
    const b = this.b;
    let i = skipSpace(b, this.pos);
    if (b[i] !== OPEN_ARRAY) {
      this.pos = i;
      return b[i] === OPEN_OBJECT ? this.pickObject(sel) : this.keep();
    }
    const outer: unknown[][] = [];
    let out: unknown[] = [];
    i = skipSpace(b, i + 1);
    if (b[i] === CLOSE_ARRAY) {
      this.pos = i + 1;
      return out;
    }
    for (;;) {
      // `i` is the start of an element of `out`.
      const c = b[i];
      if (c === OPEN_ARRAY) {
        const inner: unknown[] = [];
        out.push(inner);
        const j = skipSpace(b, i + 1);
        if (b[j] !== CLOSE_ARRAY) {
          outer.push(out);
          out = inner;
          i = j;
          continue;
        }
        this.pos = j + 1;
      } else {
        this.pos = i;
        out.push(c === OPEN_OBJECT ? this.pickObject(sel) : this.keep());
      }
      // Past an element: the next one, or the end of as many arrays as close here.
      for (;;) {
        i = this.after(CLOSE_ARRAY);
        if (i >= 0) break;
        const up = outer.pop();
        if (up === undefined) return out;
        out = up;
      }
    }
  }

  /** The object at `pos` (its opening brace) reduced to `sel`; `pos` moves past it. */
  private pickObject(sel: Selection): Record<string, unknown> {
    const b = this.b;
    const out: Record<string, unknown> = {};
    let i = skipSpace(b, this.pos + 1);
    if (b[i] === CLOSE_OBJECT) {
      this.pos = i + 1;
      return out;
    }
    for (;;) {
      if (b[i] !== QUOTE) throw unexpected(b, i);
      const keyEnd = this.plainStringEnd(i + 1);
      const member = keyEnd < 0 ? this.memberByName(sel, i) : memberByBytes(sel, b, i + 1, keyEnd - 1);
      i = skipSpace(b, keyEnd < 0 ? this.pos : keyEnd);
      if (b[i] !== COLON) throw unexpected(b, i);
      this.pos = i + 1;
      if (member < 0) {
        this.skip();
      } else {
        const sub = sel.subs[member];
        out[sel.names[member]] = sub ? this.pick(sub) : this.keep();
      }
      i = this.after(CLOSE_OBJECT);
      if (i < 0) return out;
      if (b[i] !== QUOTE) throw unexpected(b, i);
    }
  }

  /** Builds the whole value at `pos`. */
  keep(): unknown {
    const b = this.b;
    const start = skipSpace(b, this.pos);
    if (b[start] === QUOTE) {
      const end = this.plainStringEnd(start + 1);
      if (end >= 0) {
        this.pos = end;
        return b.toString('utf8', start + 1, end - 1);
      }
    }
    this.pos = start;
    this.skip();
    return JSON.parse(b.toString('utf8', start, this.pos));
  }

  /**
   * Checks the value at `pos` and moves past it. Iterative, with the open objects and arrays on a
   * stack of its own: a value nested thousands of levels deep (a few kilobytes of brackets) is
   * skipped like any other, where a recursive walk would overflow the call stack.
   */
  skip(): void {
    const b = this.b;
    let i = skipSpace(b, this.pos);
    let c = b[i];
    if (c !== OPEN_OBJECT && c !== OPEN_ARRAY) {
      this.pos = scalarEnd(b, i, c);
      return;
    }
    const open = this.open;
    let depth = 0;
    // The closing bracket of the innermost open object or array (0 outside them all): read from the
    // stack only when one closes, not after every value.
    let close = 0;
    for (;;) {
      // `i` is the start of a value and `c` its first byte.
      if (c === OPEN_OBJECT) {
        i = skipSpace(b, i + 1);
        if (b[i] === CLOSE_OBJECT) {
          i++;
        } else {
          open[depth++] = close = CLOSE_OBJECT;
          i = memberValue(b, i);
          c = b[i];
          continue;
        }
      } else if (c === OPEN_ARRAY) {
        i = skipSpace(b, i + 1);
        if (b[i] === CLOSE_ARRAY) {
          i++;
        } else {
          open[depth++] = close = CLOSE_ARRAY;
          c = b[i];
          continue;
        }
      } else {
        i = scalarEnd(b, i, c);
      }
      // Past a value: the next member or element, or the end of as many containers as close here.
      for (;;) {
        if (depth === 0) {
          this.pos = i;
          return;
        }
        i = skipSpace(b, i);
        c = b[i];
        if (c === COMMA) {
          i = skipSpace(b, i + 1);
          if (close === CLOSE_OBJECT) i = memberValue(b, i);
          c = b[i];
          break;
        }
        if (c !== close) throw unexpected(b, i);
        i++;
        close = --depth > 0 ? open[depth - 1] : 0;
      }
    }
  }

  /**
   * After a member or element: the offset of the next one (past the comma), or -1 when `close` ended
   * the object or array (and `pos` is then past it).
   */
  private after(close: number): number {
    const b = this.b;
    const i = skipSpace(b, this.pos);
    const c = b[i];
    if (c === COMMA) return skipSpace(b, i + 1);
    if (c === close) {
      this.pos = i + 1;
      return -1;
    }
    throw unexpected(b, i);
  }

  /**
   * The offset past the closing quote of a string whose content starts at `i`, if the string has no
   * escapes; -1 if it has (it must then be decoded by `JSON.parse`). Control characters are refused,
   * as `JSON.parse` refuses them.
   */
  private plainStringEnd(i: number): number {
    const b = this.b;
    for (;;) {
      const c = b[i];
      if (c === QUOTE) return i + 1;
      if (c === BACKSLASH) return -1;
      if (c === undefined) throw new SyntaxError('the array is cut off inside a string');
      if (c < 0x20) throw new SyntaxError(`control character in a string at offset ${i}`);
      i++;
    }
  }

  /** The member index of the escaped key whose opening quote is at `quote`; `pos` moves past the key. */
  private memberByName(sel: Selection, quote: number): number {
    this.pos = stringEnd(this.b, quote + 1);
    return sel.names.indexOf(JSON.parse(this.b.toString('utf8', quote, this.pos)) as string);
  }
}

/** The index of the member whose name is the bytes [start, end) of `b`, or -1. */
function memberByBytes(sel: Selection, b: Buffer, start: number, end: number): number {
  const length = end - start;
  const keys = sel.keys;
  outer: for (let k = 0; k < keys.length; k++) {
    const key = keys[k];
    if (key.length !== length) continue;
    for (let j = 0; j < length; j++) if (key[j] !== b[start + j]) continue outer;
    return k;
  }
  return -1;
}

const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const COMMA = 0x2c;
const COLON = 0x3a;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const TRUE = Buffer.from('true');
const FALSE = Buffer.from('false');
const NULL = Buffer.from('null');

function unexpected(b: Buffer, i: number): SyntaxError {
  return new SyntaxError(i >= b.length ? 'the array is cut off' : `unexpected text at offset ${i}`);
}

function skipSpace(bytes: Buffer, i: number): number {
  for (;;) {
    const c = bytes[i];
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return i;
    i++;
  }
}

/** The offset past the string, number or literal starting at `i` (whose byte is `c`). */
function scalarEnd(b: Buffer, i: number, c: number | undefined): number {
  if (c === QUOTE) return stringEnd(b, i + 1);
  if (c === 0x74) return literal(b, i, TRUE);
  if (c === 0x66) return literal(b, i, FALSE);
  if (c === 0x6e) return literal(b, i, NULL);
  return numberEnd(b, i);
}

/** From a member's key (its opening quote at `i`): the offset of its value, past the colon. */
function memberValue(b: Buffer, i: number): number {
  if (b[i] !== QUOTE) throw unexpected(b, i);
  i = skipSpace(b, stringEnd(b, i + 1));
  if (b[i] !== COLON) throw unexpected(b, i);
  return skipSpace(b, i + 1);
}

function literal(b: Buffer, i: number, word: Buffer): number {
  for (let j = 0; j < word.length; j++) if (b[i + j] !== word[j]) throw unexpected(b, i + j);
  return i + word.length;
}

const isDigit = (c: number | undefined): boolean => c !== undefined && c >= 0x30 && c <= 0x39;

/** The offset past a JSON number starting at `i`: -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)? */
function numberEnd(b: Buffer, i: number): number {
  if (b[i] === 0x2d) i++;
  if (b[i] === 0x30) i++;
  else if (isDigit(b[i])) while (isDigit(b[i])) i++;
  else throw unexpected(b, i);
  if (b[i] === 0x2e) {
    if (!isDigit(b[++i])) throw unexpected(b, i);
    while (isDigit(b[i])) i++;
  }
  if (b[i] === 0x65 || b[i] === 0x45) {
    i++;
    if (b[i] === 0x2b || b[i] === 0x2d) i++;
    if (!isDigit(b[i])) throw unexpected(b, i);
    while (isDigit(b[i])) i++;
  }
  return i;
}

/**
 * The offset just past the closing quote of a string whose content starts at `i`. A plain loop: most
 * strings in an event are a few bytes long, shorter than a call into `Buffer.indexOf` is worth.
 */
function stringEnd(b: Buffer, i: number): number {
  for (;;) {
    const c = b[i];
    if (c === QUOTE) return i + 1;
    if (c === BACKSLASH) i += 2;
    else if (c === undefined) throw new SyntaxError('the array is cut off inside a string');
    else i++;
  }
}
