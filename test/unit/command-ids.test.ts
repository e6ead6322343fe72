/**
 * The typed command ids (`src/extension/commandIds.ts`) against the manifest: a command contributed
 * in package.json and missing from the list (or the reverse) fails here, as does a menu, a
 * keybinding or a welcome link naming a command that does not exist.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { COMMAND_IDS, VIEW_COMMAND_IDS } from '../../src/extension/commandIds';

interface Manifest {
  contributes: {
    commands: { command: string }[];
    views: Record<string, { id: string }[]>;
    menus: Record<string, { command: string }[]>;
  };
}

const root = path.join(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as Manifest;
const nls = JSON.parse(readFileSync(path.join(root, 'package.nls.json'), 'utf8')) as Record<string, string>;
const sorted = (ids: Iterable<string>) => [...new Set(ids)].sort();

describe('command ids', () => {
  it('lists exactly the commands package.json contributes', () => {
    assert.deepEqual(sorted(COMMAND_IDS), sorted(manifest.contributes.commands.map((c) => c.command)));
  });

  it('lists each command once', () => {
    assert.equal(new Set(COMMAND_IDS).size, COMMAND_IDS.length);
  });

  it('names only commands that exist in menus and welcome links', () => {
    const known = new Set<string>(COMMAND_IDS);
    const inMenus = Object.values(manifest.contributes.menus).flatMap((items) => items.map((i) => i.command));
    const inLinks = Object.values(nls).flatMap((text) => [...text.matchAll(/command:([\w.]+)/g)].map((m) => m[1]!));
    for (const id of [...inMenus, ...inLinks]) assert.ok(known.has(id), `${id} is not a contributed command`);
  });

  it('runs only view commands of views the manifest contributes', () => {
    const views = new Set(Object.values(manifest.contributes.views).flatMap((list) => list.map((v) => v.id)));
    for (const id of VIEW_COMMAND_IDS) assert.ok(views.has(id.replace(/\.focus$/, '')), `${id} belongs to no contributed view`);
  });
});
