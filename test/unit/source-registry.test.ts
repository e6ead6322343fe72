/**
 * Adding a source is one file in `src/core/sources/` and a line in the registry: everything a person
 * sees of the sources (okta-mau --source and its --help, the docs) follows the registry. These tests
 * fail when a registered source is missing from one of them.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseCliArgs } from '../../src/cli/args';
import { HELP } from '../../src/cli/help';
import { DEFAULT_SOURCE, SOURCE_KINDS, sourceDefinition, sourceLabel, type Source } from '../../src/core/sources';

const ORG = ['--org-url', 'https://acme.okta.com'];
const docs = readFileSync(path.join(__dirname, '..', '..', 'docs', 'cli.md'), 'utf8');

describe('the source registry', () => {
  it('holds the System Log (the default) and the legacy Events API', () => {
    assert.deepEqual(SOURCE_KINDS.slice(0, 2), ['logs', 'events']);
    assert.equal(DEFAULT_SOURCE, 'logs');
    assert.deepEqual(['logs', 'events'].map((k) => sourceLabel(k as Source)), ['System Log', 'Events API']);
    assert.match(HELP, /^ {2}--source <s> +logs \(System Log, default\) or events \(legacy Events API\)$/m);
  });

  it('gives every source its kind, a label, a summary and an API', () => {
    for (const kind of SOURCE_KINDS) {
      const def = sourceDefinition(kind);
      assert.equal(def.kind, kind);
      assert.ok(def.label && def.summary && def.api.path.startsWith('/api/'), kind);
    }
  });

  it('lists every registered source in okta-mau --help, with its summary and the default marked', () => {
    const line = /^ {2}--source <s> +(.*)$/m.exec(HELP)?.[1] ?? '';
    for (const kind of SOURCE_KINDS) {
      const mark = kind === DEFAULT_SOURCE ? ', default' : '';
      assert.ok(line.includes(`${kind} (${sourceDefinition(kind).summary}${mark})`), kind);
    }
  });

  it('accepts every registered source in okta-mau count and history --source, and refuses others naming them all', () => {
    for (const kind of SOURCE_KINDS) {
      assert.equal((parseCliArgs(['count', ...ORG, '--source', kind]) as { source?: string }).source, kind);
      assert.equal((parseCliArgs(['history', ...ORG, '--source', kind]) as { source?: string }).source, kind);
      assert.equal((parseCliArgs(['history', '--all', '--source', kind]) as { source?: string }).source, kind);
    }
    assert.equal((parseCliArgs(['count', ...ORG]) as { source?: string }).source, DEFAULT_SOURCE);
    assert.throws(() => parseCliArgs(['count', ...ORG, '--source', 'audit']), (err: Error) => {
      assert.match(err.message, /^--source must be .* \(got "audit"\)$/);
      for (const kind of SOURCE_KINDS) assert.ok(err.message.includes(kind), kind);
      return true;
    });
  });

  it('lists every registered source in docs/cli.md, with the default', () => {
    assert.match(docs, new RegExp(`^\\| \`--source <${SOURCE_KINDS.join('\\\\\\|')}>\` \\| \`${DEFAULT_SOURCE}\` \\|`, 'm'));
  });
});
