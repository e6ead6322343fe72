import { strict as assert } from 'node:assert';
import { JsonArrayReader, type Fields } from '../../src/core/jsonArray';
import { pickReference, readArray } from './jsonArray-reference';
import { createSource } from '../../src/core/sources';
import { generateMonth, legacyObjectType, toLegacy } from '../fake-org';

const parse = (text: string) => readArray(Buffer.from(text, 'utf8'), (x) => x);

describe('JsonArrayReader', () => {
  it('reads the same elements as JSON.parse, for a real page of System Log events', () => {
    const { events } = generateMonth({ month: '2026-10', seed: 3, users: 40, sessions: 300 });
    const text = JSON.stringify(events.slice(0, 500));
    assert.deepEqual(parse(text), JSON.parse(text));
  });

  it('finds element ends past brackets, commas and escaped quotes inside strings, and multi-byte characters', () => {
    const tricky = [
      { s: 'a]b}c,d[e{f' },
      { s: 'quote " and backslash \\ and \\" both' },
      { s: 'ends with a backslash \\' },
      { s: 'Zoë Łukasz 漢字 🙂', n: [1, [2, [3]], { k: '}' }] },
      'a string element',
      42,
      -1.5e3,
      true,
      null,
      [],
      {},
    ];
    assert.deepEqual(parse(JSON.stringify(tricky, null, 2)), tricky);
    assert.deepEqual(parse(' \n[ ] \n'), []);
  });

  it('reads a chunk of elements per call, so a caller can yield between chunks', () => {
    const reader = new JsonArrayReader(Buffer.from(JSON.stringify([1, 2, 3, 4, 5])));
    const out: number[] = [];
    assert.equal(reader.read(2, (x) => x as number, out), false);
    assert.deepEqual(out, [1, 2]);
    assert.equal(reader.read(2, (x) => x as number, out), false);
    assert.equal(reader.read(2, (x) => x as number, out), true);
    assert.deepEqual(out, [1, 2, 3, 4, 5]);
  });

  it('hands each element to map as it is parsed and keeps only what map returns', () => {
    assert.deepEqual(readArray(Buffer.from('[{"id":"a","big":[1,2,3]},{"id":"b"}]'), (x) => (x as { id: string }).id), ['a', 'b']);
  });

  const broken: Array<[string, RegExp]> = [
    ['{"not":"an array"}', /not a JSON array/],
    ['', /not a JSON array/],
    ['[{"a":1},{"b":2', /cut off/],
    ['[{"a":"unterminated', /cut off inside a string/],
    ['[{"a":1}', /cut off/],
    ['[{"a":1}] trailing', /text after the array/],
    ['[{"a":1} {"b":2}]', /unexpected text/],
    ['[{"a":01}]', /./],
    ['[,1]', /unexpected text/],
  ];
  for (const [text, message] of broken) {
    it(`throws a SyntaxError for ${JSON.stringify(text)}`, () => {
      assert.throws(() => parse(text), (e: Error) => e instanceof SyntaxError && message.test(e.message));
    });
  }
});

describe('JsonArrayReader with fields', () => {
  const logs = createSource('logs', ['user.session.start']);
  const legacy = createSource('events', ['user.session.start']);
  const { events } = generateMonth({ month: '2026-10', seed: 5, users: 60, sessions: 400 });
  const pick = (value: unknown, fields: Fields) => readArray(Buffer.from(JSON.stringify(value, null, 1)), (x) => x, fields);

  it('builds each System Log event as an independent pick of JSON.parse, and the same sign-in as the whole event', () => {
    const picked = pick(events, logs.fields);
    assert.deepEqual(picked, events.map((e) => pickReference(e, logs.fields)));
    assert.deepEqual(picked.map((e) => logs.toSignIn(e)), events.map((e) => logs.toSignIn(e)));
    assert.ok(picked.some((e) => logs.toSignIn(e)) && picked.some((e) => !logs.toSignIn(e)), 'both counted and skipped events');
  });

  it('builds legacy Events API events the same way, picking from each element of an array member', () => {
    const old = events.flatMap((e) => {
      const type = legacyObjectType(e);
      return type ? [toLegacy(e, type)] : [];
    });
    const picked = pick(old, legacy.fields);
    assert.deepEqual(picked, old.map((e) => pickReference(e, legacy.fields)));
    assert.deepEqual(picked.map((e) => legacy.toSignIn(e)), old.map((e) => legacy.toSignIn(e)));
    assert.ok(picked.some((e) => legacy.toSignIn(e)));
  });

  it('decodes escaped strings and keys, unicode, numbers and literals as JSON.parse does, and skips the rest', () => {
    const fields: Fields = { s: true, n: true, o: { a: true, 'k"q': true }, list: { x: true }, whole: true, 'é': true };
    const values = [
      { s: 'tab\there "quoted" \\ \u00e9 🙂', n: -12.5e-3, o: { a: [1, { b: null }], skip: 'x', 'k"q': 'escaped key' }, other: { deep: [[{}]] } },
      { s: 'Zoë Łukasz 漢字', n: 0, o: 'not an object', list: [{ x: 1, y: 2 }, 3, 'str', null, [{ x: true }]], whole: { keep: ['all', { of: 'it' }] } },
      { n: true, s: false, o: null, list: [], whole: [], é: 'accented key', 'k\u0073': 'not s' },
      { s: 'dup 1', s2: 1, s3: [] },
      'a string element',
      42,
      null,
      [],
      {},
    ];
    const text = JSON.stringify(values, null, 2).replace('"s": "dup 1"', '"s": "dup 1", "\\u0073": "x", "s": "last wins"');
    const picked = readArray(Buffer.from(text), (x) => x, fields);
    assert.deepEqual(picked, (JSON.parse(text) as unknown[]).map((v) => pickReference(v, fields)));
    assert.equal((picked[3] as { s: string }).s, 'last wins');
    assert.equal((picked[0] as { o: { 'k"q': string } }).o['k"q'], 'escaped key');
  });

  const broken: Array<[string, RegExp]> = [
    ['[{"uuid":"a","x":{"y":[1,2}]', /unexpected text/],
    ['[{"uuid":"a","x":tru}]', /unexpected text/],
    ['[{"uuid":"a","x":01}]', /unexpected text/],
    ['[{"uuid":"a","x":1.}]', /unexpected text/],
    ['[{"uuid":"a","x":-}]', /unexpected text/],
    ['[{"uuid":"a","x":1e}]', /unexpected text/],
    ['[{"uuid":"a" "x":1}]', /unexpected text/],
    ['[{"uuid":"a",}]', /unexpected text/],
    ['[{"uuid" "a"}]', /unexpected text/],
    ['[{uuid:"a"}]', /unexpected text/],
    ['[{"uuid":"a\\u12"}]', /./],
    ['[{"uuid":"line\\nbreak\n"}]', /./],
    ['[{"uuid":"raw\ncontrol"}]', /control character/],
    ['[{"uuid":"a","x":"cut', /cut off inside a string/],
    ['[{"uuid":"cut', /cut off inside a string/],
    ['[{"uuid":"a","x":[1,2', /cut off/],
    ['[{"uuid":"a"', /cut off/],
  ];
  for (const [text, message] of broken) {
    it(`throws a SyntaxError for ${JSON.stringify(text)}`, () => {
      assert.throws(
        () => readArray(Buffer.from(text), (x) => x, logs.fields),
        (e: Error) => e instanceof SyntaxError && message.test(e.message),
      );
    });
  }

  it('throws a SyntaxError wherever a real page is cut off', () => {
    const bytes = Buffer.from(JSON.stringify(events.slice(0, 20)));
    for (let cut = 1; cut < bytes.length - 1; cut += 97) {
      assert.throws(() => readArray(bytes.subarray(0, cut), (x) => x, logs.fields), SyntaxError, `cut at ${cut}`);
    }
  });
});
