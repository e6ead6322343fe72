// Org data is untrusted wherever it is shown: a user whose display name or login is Markdown (a
// remote image, a phishing link, HTML, a command link) shows as exactly that text in the tree's
// tooltips, never as an image or a link.
import * as assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import { generateMonth, startFakeOrg, type LogEvent } from '../../fake-org';
import type { OktaMauApi } from '../../../src/extension/api';
import type { Node } from '../../../src/extension/tree/nodes';
import { addOrg, collecting, countMonth, extensionApi, monthNode, previousMonth, resetExtension } from './helpers';

type FakeOrg = Awaited<ReturnType<typeof startFakeOrg>>;

const HOSTILE_NAME = '![](https://evil.example/x.png) [Re-enter your Okta token](https://phish.example) <img src=x onerror=alert(1)> $(warning) www.phish.example';
const HOSTILE_LOGIN = '[help](command:oktaMau.removeOrg?%7B%7D)@evil.example';

/** What a Markdown renderer shows for text escaped the CommonMark way: backslash escapes and the three entities undone. */
function shownText(markdown: string): string {
  return markdown
    .replace(/\\([!-/:-@[-`{-~])/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

describe('org data in tooltips', () => {
  let api: OktaMauApi;
  let org: FakeOrg;
  let orgId: string;
  const month = previousMonth();
  const generated = generateMonth({ month, seed: 95, users: 30, sessions: 150 });
  const hostileId = Object.keys(generated.truth.users)[0]!;
  const events: LogEvent[] = generated.events.map((e) => (e.actor.id === hostileId ? { ...e, actor: { ...e.actor, displayName: HOSTILE_NAME, alternateId: HOSTILE_LOGIN } } : e));

  before(async () => {
    api = await extensionApi();
    await resetExtension(api);
    org = await startFakeOrg({ events });
    orgId = (await addOrg(org.url, { mode: 'SSWS', token: org.token }))!;
    assert.ok(await countMonth(month, orgId));
  });

  after(async () => {
    await resetExtension(api);
    await org?.close();
  });

  it("shows a user's Markdown name and login as text: no image, link, HTML or command link", async () => {
    const users = (await api.treeChildren(await monthNode(api, orgId, month))).filter((n): n is Extract<Node, { kind: 'user' }> => n.kind === 'user');
    const user = users.find((n) => n.user.id === hostileId);
    assert.ok(user, 'the user with the hostile name is not in the tree');
    const { displayName, login } = user.user;
    assert.ok(displayName.includes('![](') && login.includes('](command:'), 'the count did not keep the hostile name and login');
    const tooltip = api.treeItem(user).tooltip as vscode.MarkdownString;
    assert.equal(typeof tooltip?.value, 'string', 'the tooltip is not Markdown');
    const value = tooltip.value;
    assert.ok(!value.includes('!['), `an image: ${value}`);
    assert.ok(!value.includes(']('), `a link: ${value}`);
    assert.ok(!value.includes('<'), `HTML or an autolink: ${value}`);
    assert.ok(!value.includes('command:'), `a command link: ${value}`);
    assert.ok(!/https?:\/\/|www\./.test(value), `a bare URL GitHub-flavoured Markdown would link: ${value}`);
    assert.ok(!value.includes('$('), `a theme icon: ${value}`);
    assert.ok(!tooltip.isTrusted, 'the tooltip may run commands');
    assert.ok(!tooltip.supportHtml, 'the tooltip renders HTML');
    const shown = shownText(value);
    assert.ok(shown.includes(displayName), `the name is not shown as it is: ${shown}`);
    assert.ok(shown.includes(login), `the login is not shown as it is: ${shown}`);
  });

  it('keeps the month tooltip untrusted, without HTML', async () => {
    const tooltip = api.treeItem(await monthNode(api, orgId, month)).tooltip as vscode.MarkdownString;
    assert.ok(!tooltip.isTrusted);
    assert.ok(!tooltip.supportHtml);
  });

  it("shows a month file's partial reason as text in the month tooltip: no image or link", async () => {
    // A month file on disk is untrusted too: its reason for being partial is shown, never rendered.
    const file = vscode.Uri.joinPath(api.resultsUri, orgId, `${month}.json`);
    const original = await vscode.workspace.fs.readFile(file);
    const saved = JSON.parse(Buffer.from(original).toString('utf8'));
    await vscode.workspace.fs.writeFile(file, Buffer.from(JSON.stringify({ ...saved, report: { ...saved.report, complete: false, partialReason: HOSTILE_NAME } })));
    api.reloadResults();
    try {
      const value = (api.treeItem(await monthNode(api, orgId, month)).tooltip as vscode.MarkdownString).value;
      assert.ok(shownText(value).includes(HOSTILE_NAME), `the reason is not shown as it is: ${value}`);
      assert.ok(!value.includes('![') && !value.includes(']('), `an image or a link: ${value}`);
      assert.ok(!/https?:\/\/|www\./.test(value), `a bare URL: ${value}`);
    } finally {
      await vscode.workspace.fs.writeFile(file, original);
      api.reloadResults();
    }
  });

  it("offers no link in an error notification that quotes a server's words", async () => {
    // Something at the org's address answers with a Markdown link in its error text.
    const server = createServer((_req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errorCode: 'E0000001', errorSummary: 'Session expired: [sign in again](https://phish.example) or [run this](command:oktaMau.removeOrg)' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const { errors } = await collecting(api, () => addOrg(url, { mode: 'SSWS', token: '00SomeToken1234567890' }));
      assert.equal(errors.length, 1);
      assert.match(errors[0]!, /Session expired: \[sign in again\] \(https:\/\/phish\.example\)/, 'the words stay');
      assert.doesNotMatch(errors[0]!, /\]\(/, 'no [label](target) pair is left for the notification to turn into a link');
    } finally {
      server.close();
    }
  });
});
