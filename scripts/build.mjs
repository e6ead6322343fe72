// Bundles the extension and the command line into dist/ with esbuild.
import { build } from 'esbuild';
import { chmod } from 'node:fs/promises';

const production = process.argv.includes('--production');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
};

await Promise.all([
  build({ ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] }),
  // The core's count module and the Okta SDK parts, which the extension loads on its first count
  // (src/extension/coreModule.ts) rather than compiling them on every activation.
  build({ ...common, entryPoints: ['src/core/count.ts'], outfile: 'dist/count.js' }),
  build({ ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } }),
  // The dashboard's webview script, with Chart.js bundled in: a browser script, no remote resources.
  build({ ...common, platform: 'browser', target: 'es2022', format: 'iife', entryPoints: ['src/extension/dashboard/webview/main.ts'], outfile: 'dist/webview/dashboard.js' }),
]);
await chmod('dist/cli.js', 0o755);
