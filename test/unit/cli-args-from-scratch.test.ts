import { strict as assert } from 'node:assert';
import { parseCliArgs } from '../../src/cli/args';
import { InvalidInputError } from '../../src/core/errors';
import { HELP } from '../../src/cli/help';

const ORG = ['--org-url', 'https://acme.okta.com'];

describe('okta-mau inactive --from-scratch', () => {
  it('asks for a full listing, and is left out of the request when not given', () => {
    assert.equal((parseCliArgs(['inactive', ...ORG, '--from-scratch']) as { fromScratch?: boolean }).fromScratch, true);
    assert.equal('fromScratch' in parseCliArgs(['inactive', ...ORG]), false);
    assert.match(HELP, /--from-scratch +inactive: list every user, not only those changed since the cached listing\n/);
  });

  const refused: [string, string[], RegExp][] = [
    ['with --no-cache', ['inactive', ...ORG, '--from-scratch', '--no-cache'], /^--no-cache lists every user already \(and keeps no listing\): drop --from-scratch$/],
    ['on count', ['count', ...ORG, '--from-scratch'], /^--from-scratch applies only to "okta-mau inactive"$/],
    ['on check', ['check', ...ORG, '--from-scratch'], /^--from-scratch applies only to "okta-mau inactive"$/],
    ['on history', ['history', ...ORG, '--from-scratch'], /^--from-scratch applies only to "okta-mau inactive"$/],
    ['on history --all', ['history', '--all', '--from-scratch'], /^--from-scratch does not apply to "okta-mau history --all"$/],
  ];
  for (const [what, argv, message] of refused) {
    it(`is refused ${what}`, () => {
      assert.throws(() => parseCliArgs(argv), (err: unknown) => err instanceof InvalidInputError && message.test(err.message));
    });
  }
});
