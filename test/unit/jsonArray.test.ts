import { strict as assert } from 'node:assert';
import { JsonArrayReader, parseJsonArray } from '../../src/core/jsonArray';
import { generateMonth } from '../fake-org';

const parse = (text: string) => parseJsonArray(Buffer.from(text, 'utf8'), (x) => x);

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
    assert.deepEqual(parseJsonArray(Buffer.from('[{"id":"a","big":[1,2,3]},{"id":"b"}]'), (x) => (x as { id: string }).id), ['a', 'b']);
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
