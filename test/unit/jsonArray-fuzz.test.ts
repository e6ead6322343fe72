/**
 * A differential fuzz test of the page reader against `JSON.parse`: seeded random pages of events,
 * written with every liberty JSON allows (whitespace, escapes, number forms, duplicate keys, values of
 * the wrong type where the selection expects an object), must give exactly the fields `JSON.parse`
 * followed by an independent, iterative pick gives; values nested thousands of levels deep must be
 * read (or skipped) without overflowing the call stack; and any strict prefix of a page must be
 * refused with a SyntaxError. Bounded: a fixed number of seeded cases, well under a few seconds.
 */
import { strict as assert } from 'node:assert';
import type { Fields } from '../../src/core/jsonArray';
import { pickReference, readArray } from './jsonArray-reference';
import { createSource } from '../../src/core/sources';
import { mulberry32 } from '../fake-org/prng';

/** Structural equality without recursion; the path of the first difference, or undefined. */
function difference(a: unknown, b: unknown): string | undefined {
  const work: Array<[unknown, unknown, string]> = [[a, b, '$']];
  while (work.length) {
    const [x, y, path] = work.pop()!;
    if (Array.isArray(x) || Array.isArray(y)) {
      if (!Array.isArray(x) || !Array.isArray(y) || x.length !== y.length) return path;
      x.forEach((v, i) => work.push([v, y[i], `${path}[${i}]`]));
    } else if (x !== null && y !== null && typeof x === 'object' && typeof y === 'object') {
      const kx = Object.keys(x).sort();
      const ky = Object.keys(y).sort();
      if (kx.join('\u0000') !== ky.join('\u0000')) return `${path} keys ${JSON.stringify(kx)} vs ${JSON.stringify(ky)}`;
      for (const k of kx) work.push([(x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k], `${path}.${k}`]);
    } else if (!Object.is(x, y)) {
      return `${path}: ${String(x)} vs ${String(y)}`;
    }
  }
  return undefined;
}

const LOGS = createSource('logs', ['user.session.start']).fields;
const LEGACY = createSource('events', ['user.session.start']).fields;

/** A random page writer: the text of random events, in a random JSON spelling. */
class PageWriter {
  constructor(private readonly r: () => number) {}

  int(n: number): number {
    return Math.floor(this.r() * n);
  }

  chance(p: number): boolean {
    return this.r() < p;
  }

  space(): string {
    if (!this.chance(0.2)) return '';
    return [' ', '\n', '\t', '\r\n', '  '][this.int(5)];
  }

  /** A string value's text: plain, with escapes, unicode (astral included), or characters written as \u escapes. */
  string(s: string): string {
    if (this.chance(0.7)) return JSON.stringify(s);
    let out = '"';
    for (const ch of s) {
      const code = ch.codePointAt(0)!;
      if (ch === '"' || ch === '\\' || code < 0x20 || (this.chance(0.3) && code < 0x10000)) {
        const hex = code.toString(16).padStart(4, '0');
        out += `\\u${this.chance(0.5) ? hex.toUpperCase() : hex}`;
      } else if (code >= 0x10000 && this.chance(0.3)) {
        // A surrogate pair spelled as two escapes.
        out += ch.split('').map((u) => `\\u${u.charCodeAt(0).toString(16)}`).join('');
      } else {
        out += ch;
      }
    }
    return out + '"';
  }

  randomText(): string {
    const parts = ['a', 'Zoë', '漢字', '🙂', ' ', '"', '\\', '/', '\n', '\t', '\u0001', '\u001b[2J', '\u202e', ']', '}', ',', ':', '{', '['];
    let s = '';
    const n = this.int(8);
    for (let i = 0; i < n; i++) s += parts[this.int(parts.length)];
    return s;
  }

  number(): string {
    const forms = [
      () => String(this.int(1000)),
      () => `-${this.int(1000)}`,
      () => '0',
      () => '-0',
      () => `${this.int(100)}.${this.int(1000)}`,
      () => `${this.int(10)}e${this.int(20)}`,
      () => `${this.int(10)}E+${this.int(5)}`,
      () => `-${this.int(10)}.5e-${this.int(9)}`,
      () => '12345678901234567890123',
    ];
    return forms[this.int(forms.length)]();
  }

  /** Any value, `depth` levels deep at most. */
  value(depth: number): string {
    const kind = depth <= 0 ? this.int(4) : this.int(6);
    switch (kind) {
      case 0:
        return this.string(this.randomText());
      case 1:
        return this.number();
      case 2:
        return ['true', 'false', 'null'][this.int(3)];
      case 3:
        return this.string(`${this.int(100)}`);
      case 4: {
        const n = this.int(4);
        return `[${this.space()}${Array.from({ length: n }, () => this.value(depth - 1)).join(`${this.space()},${this.space()}`)}${this.space()}]`;
      }
      default:
        return this.object(undefined, depth - 1);
    }
  }

  /** A key's text, sometimes with escapes that `JSON.parse` decodes to the same name. */
  key(name: string): string {
    return this.string(name);
  }

  /**
   * An object whose members are drawn from `fields` (with values of the right shape or not) and from
   * other names; some members repeat, as JSON allows (the last one wins).
   */
  object(fields: Fields | undefined, depth: number): string {
    const names = fields ? Object.keys(fields) : [];
    const others = ['debugContext', 'target', 'x', 'uuid2', 'actorX', 'é', '', 'displayMessage', 'u\u0000id', '__proto__', 'constructor'];
    const members: string[] = [];
    const n = this.int(7);
    for (let i = 0; i < n; i++) {
      const useField = names.length > 0 && this.chance(0.6);
      const name = useField ? names[this.int(names.length)] : others[this.int(others.length)];
      const sub = useField ? fields![name] : true;
      const value = sub !== true && this.chance(0.75) ? this.selected(sub, depth - 1) : this.value(Math.max(0, depth));
      members.push(`${this.space()}${this.key(name)}${this.space()}:${this.space()}${value}${this.space()}`);
    }
    return `{${members.join(',')}}`;
  }

  /** What a selected member holds: mostly the object the selection expects, or arrays (of arrays) of them, or anything. */
  selected(fields: Fields, depth: number, arrays = 4): string {
    if (arrays <= 0 || this.chance(0.5)) return this.chance(0.85) ? this.object(fields, depth) : this.value(0);
    const n = this.int(4);
    return `[${this.space()}${Array.from({ length: n }, () => this.selected(fields, depth, arrays - 1)).join(`${this.space()},`)}]`;
  }

  /** A value nested `depth` levels deep: arrays, objects or both, with something at the bottom. */
  deep(depth: number, fields?: Fields): string {
    const style = this.int(3);
    let open = '';
    let close = '';
    for (let i = 0; i < depth; i++) {
      const array = style === 0 || (style === 2 && this.chance(0.5));
      open += array ? '[' : '{"a":';
      close = (array ? ']' : '}') + close;
    }
    const bottom = fields ? this.object(fields, 1) : this.value(1);
    return open + bottom + close;
  }

  page(fields: Fields, events: number, deepDepth = 0): string {
    const items: string[] = [];
    for (let i = 0; i < events; i++) {
      if (this.chance(0.05)) {
        items.push(this.value(2));
        continue;
      }
      let event = this.object(fields, 3);
      if (deepDepth > 0 && this.chance(0.5)) {
        const names = Object.keys(fields);
        const name = this.chance(0.4) ? 'debugContext' : names[this.int(names.length)];
        const sub = fields[name];
        // Deep under a skipped member, a kept one, or a selected one (arrays of arrays of what it selects).
        const deep = this.deep(deepDepth, sub === undefined || sub === true ? undefined : sub);
        event = event === '{}' ? `{${this.key(name)}:${deep}}` : `{${this.key(name)}:${deep},${event.slice(1)}`;
      }
      items.push(event);
    }
    return `${this.space()}[${this.space()}${items.join(`${this.space()},${this.space()}`)}${this.space()}]${this.space()}`;
  }
}

/** Offsets of the characters outside strings that are not white space: brackets, commas, colons, numbers, literals. */
function bytesOutsideStrings(text: string): number[] {
  const out: number[] = [];
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
    } else if (!/\s/.test(c)) {
      out.push(i);
    }
  }
  return out;
}

function check(text: string, fields: Fields, label: string): void {
  const expected = (JSON.parse(text) as unknown[]).map((v) => pickReference(v, fields));
  const picked = readArray(Buffer.from(text, 'utf8'), (x) => x, fields);
  const diff = difference(picked, expected);
  assert.equal(diff, undefined, `${label}: differs from JSON.parse at ${diff}\n${text.length < 2000 ? text : text.slice(0, 2000) + '…'}`);
}

describe('JsonArrayReader against JSON.parse, on random pages', function () {
  this.timeout(10_000);
  const selections: Array<[string, Fields]> = [
    ['System Log fields', LOGS],
    ['Events API fields', LEGACY],
    ['nested selections', { a: { b: { c: true, d: { e: true } }, f: true }, g: true, 'é': { x: true } }],
  ];

  it('picks exactly what JSON.parse and the selection give, however the page is spelled', () => {
    let pages = 0;
    for (let seed = 1; seed <= 400; seed++) {
      const w = new PageWriter(mulberry32(seed));
      const [name, fields] = selections[seed % selections.length];
      check(w.page(fields, 1 + w.int(12)), fields, `seed ${seed}, ${name}`);
      pages++;
    }
    assert.equal(pages, 400);
  });

  it('reads values nested thousands of levels deep, kept, selected into or skipped, without overflowing the stack', () => {
    for (let seed = 1; seed <= 24; seed++) {
      const w = new PageWriter(mulberry32(1000 + seed));
      const [name, fields] = selections[seed % selections.length];
      const depth = [2_000, 8_000, 100_000][seed % 3];
      check(w.page(fields, 2 + w.int(4), depth), fields, `seed ${seed}, ${name}, depth ${depth}`);
    }
  });

  for (const levels of [8_000, 200_000]) {
    it(`skips a value ${levels.toLocaleString('en-US')} levels deep in a System Log event and still builds its sign-in`, () => {
      const deep = '['.repeat(levels) + '{"a":'.repeat(levels) + '1' + '}'.repeat(levels) + ']'.repeat(levels);
      const text = `[{"uuid":"u1","debugContext":{"debugData":${deep}},"published":"2026-10-01T00:00:00.000Z","eventType":"user.session.start","outcome":{"result":"SUCCESS"},"actor":{"id":"00u1","type":"User","alternateId":"ann@example.com","displayName":"Ann"}}]`;
      const [event] = readArray(Buffer.from(text), (x) => x, LOGS);
      const signIn = createSource('logs', ['user.session.start']).toSignIn(event) as { uuid: string; userId: string; login: string };
      assert.deepEqual({ uuid: signIn?.uuid, userId: signIn?.userId, login: signIn?.login }, { uuid: 'u1', userId: '00u1', login: 'ann@example.com' });
      // Without a selection each element is checked the same way before JSON.parse builds it.
      assert.equal(readArray(Buffer.from(text), (x) => (x as { uuid: string }).uuid)[0], 'u1');
    });
  }

  it('refuses a page whose brackets, commas, colons, numbers or literals were damaged, as JSON.parse does', () => {
    const damage = ['', '[', ']', '{', '}', ',', ':', 'x', '-', '.', 'e', '0'];
    let refused = 0;
    for (let seed = 1; seed <= 2000; seed++) {
      const r = mulberry32(9000 + seed);
      const w = new PageWriter(r);
      const [, fields] = selections[seed % selections.length];
      const text = w.page(fields, 1 + w.int(6));
      const outside = bytesOutsideStrings(text);
      const at = outside[Math.floor(r() * outside.length)];
      const broken = text.slice(0, at) + damage[Math.floor(r() * damage.length)] + text.slice(at + 1);
      let valid = true;
      try {
        JSON.parse(broken);
      } catch {
        valid = false;
      }
      // Some damage leaves valid JSON (a digit for a digit, `[1,2]` to `[12]`): then the picks must agree.
      if (valid) {
        check(broken, fields, `seed ${seed}, damaged at ${at}`);
        continue;
      }
      refused++;
      assert.throws(() => readArray(Buffer.from(broken), (x) => x, fields), SyntaxError, `seed ${seed}, damaged at ${at}: ${broken}`);
    }
    assert.ok(refused > 1500, `${refused} damaged pages were invalid JSON`);
  });

  it('refuses every strict prefix of a page with a SyntaxError, as JSON.parse does', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const w = new PageWriter(mulberry32(5000 + seed));
      const [, fields] = selections[seed % selections.length];
      const text = w.page(fields, 1 + w.int(4), seed % 5 === 0 ? 300 : 0).trimEnd();
      const bytes = Buffer.from(text, 'utf8');
      const step = Math.max(1, Math.floor(bytes.length / 60));
      for (let cut = 0; cut < bytes.length; cut += step) {
        assert.throws(() => readArray(bytes.subarray(0, cut), (x) => x, fields), SyntaxError, `seed ${seed}, cut at ${cut} of ${bytes.length}`);
        assert.throws(() => readArray(bytes.subarray(0, cut), (x) => x), SyntaxError, `seed ${seed}, no fields, cut at ${cut}`);
      }
    }
  });
});
