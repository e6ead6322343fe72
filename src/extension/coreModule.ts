import path from 'node:path';
import type * as CountModule from '../core/count';

let loaded: typeof CountModule | undefined;

/**
 * The core's count module, with the Okta SDK parts it uses, is a bundle of its own (`dist/count.js`,
 * about 1 MB) loaded on the first count or credential check. Inside the extension's bundle, compiling
 * it took about 25 ms of every activation, for windows that may never count.
 */
export function countModule(): typeof CountModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require(path.join(__dirname, 'count.js')) as typeof CountModule;
  return loaded;
}
