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
  build({ ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } }),
  // The dashboard's webview script, with Chart.js bundled in: a browser script, no remote resources.
  build({ ...common, platform: 'browser', target: 'es2022', format: 'iife', entryPoints: ['src/extension/dashboard/webview/main.ts'], outfile: 'dist/webview/dashboard.js' }),
]);
await chmod('dist/cli.js', 0o755);
