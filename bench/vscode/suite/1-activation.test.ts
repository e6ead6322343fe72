// Scenario 5: how long the extension takes from activation start to ready, measured from inside
// the extension host of a fresh window, and for contrast how long requiring the Okta SDK takes.
import { createRequire } from 'node:module';
import { extension, reportResult } from './report';

describe('bench: activation', () => {
  it('times activate() of a fresh window and a cold require of the Okta SDK', async () => {
    const ext = extension();
    // Already active means onStartupFinished won the race against this suite: the time is not ours to take.
    const wasActive = ext.isActive;
    const started = performance.now();
    await ext.activate();
    const activateMs = performance.now() - started;
    if (!ext.isActive) throw new Error('the extension did not activate');

    // The repository's copy of the SDK (this suite lives in out/ inside the checkout), not the one inside
    // the extension bundle, so it is loaded cold here.
    const requireFromRepo = createRequire(__filename);
    const sdkStarted = performance.now();
    requireFromRepo('@okta/okta-sdk-nodejs');
    const sdkRequireMs = performance.now() - sdkStarted;
    reportResult({ kind: 'activation', wasActive, activateMs, sdkRequireMs });
  });
});
