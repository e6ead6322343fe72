// Writes dist/README.md, the README the .vsix carries (`npm run package` passes it to vsce with
// --readme-path). VS Code's extension details page shows the README in a webview whose
// Content-Security-Policy allows only `img-src https: data:` and sets no base URL, so a relative
// image never loads there, in desktop VS Code as in code-server. The project has no public home to
// serve https: images from, so each image is inlined as a data: URL, and a link to a file the
// .vsix does not hold (docs/…) becomes its path in code, which is still true and never broken.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, extname, isAbsolute, join, normalize, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif' };
/** One image larger than this is a mistake (a screenshot is 50–500 KB); the details page would stall. */
const MAX_IMAGE_BYTES = 2_000_000;

/** `![alt](target "title")` and `[text](target)`, with the `!` kept apart; targets without spaces. */
const LINK = /(!?)\[([^\]]*)\]\(\s*<?([^)\s>]+)>?(\s+"[^"]*")?\s*\)/g;

/**
 * The README with its relative images inlined and its relative links to other files turned into
 * code. `root` is the folder the README's paths are relative to; a path leaving it is refused.
 * @param {string} markdown
 * @param {string} root
 * @returns {string}
 */
export function packReadme(markdown, root) {
  const base = resolve(root);
  return markdown.replace(LINK, (all, bang, text, target, title = '') => {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#')) return all;
    const path = target.split(/[?#]/)[0];
    const file = resolve(base, normalize(path));
    const rel = relative(base, file);
    if (rel === '' || rel.split(sep)[0] === '..' || isAbsolute(rel)) {
      throw new Error(`README.md links outside the project: ${target}`);
    }
    if (bang) {
      const type = TYPES[extname(file).toLowerCase()];
      if (!type) throw new Error(`README.md shows ${target}: only PNG, JPEG and GIF images can be inlined (the details page refuses SVG)`);
      const bytes = readFileSync(file);
      if (bytes.length > MAX_IMAGE_BYTES) throw new Error(`README.md shows ${target}: ${bytes.length} bytes, more than ${MAX_IMAGE_BYTES}`);
      return `![${text}](data:${type};base64,${bytes.toString('base64')}${title})`;
    }
    // A document of the project's source: named, not linked (the .vsix does not hold it).
    return text === path ? `\`${path}\`` : `${text} (\`${path}\`)`;
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const out = join(root, 'dist', 'README.md');
  try {
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, packReadme(readFileSync(join(root, 'README.md'), 'utf8'), root));
  } catch (err) {
    console.error(`pack-readme: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}
