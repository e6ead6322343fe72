// Runs inside the extension host: the extension from this checkout is installed, activates
// without error, and its commands are registered with VS Code.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { COMMAND_IDS, VIEW_COMMAND_IDS } from '../../../src/extension/commandIds';

const EXTENSION_ID = 'okta-mau.okta-mau';

describe('extension activation', () => {
  it('is loaded from this checkout under the id okta-mau.okta-mau', () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not among the installed extensions`);
    assert.equal(extension.packageJSON.name, 'okta-mau');
    assert.equal(extension.packageJSON.publisher, 'okta-mau');
  });

  it('activates without throwing', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    await extension.activate();
    assert.equal(extension.isActive, true);
  });

  it('registers oktaMau.countMaus with VS Code', async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('oktaMau.countMaus'), 'oktaMau.countMaus is not a registered command');
  });

  it('registers exactly the typed command ids, and VS Code knows the view commands it runs', async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
    const registered = (await vscode.commands.getCommands(true)).filter((id) => id.startsWith('oktaMau.'));
    for (const id of [...COMMAND_IDS, ...VIEW_COMMAND_IDS]) assert.ok(registered.includes(id), `${id} is not a registered command`);
    // VS Code adds commands of its own for the view (`oktaMau.users.focus`, …); the rest are ours and typed.
    const ours = registered.filter((id) => !id.startsWith('oktaMau.users.'));
    assert.deepEqual(ours.sort(), [...COMMAND_IDS].sort());
  });

  it('runs on the VS Code the manifest declares (engines.vscode ^1.100.0)', () => {
    const [major, minor] = vscode.version.split('.').map(Number);
    assert.equal(major, 1);
    assert.ok(minor >= 100, `VS Code ${vscode.version} is older than 1.100`);
  });
});
