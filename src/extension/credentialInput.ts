/**
 * Asking for a credential: auth method, then an API token, or an OAuth service app's client id,
 * private key (a file or pasted JWK/PEM) and, for PEM keys, the key id. Returns undefined when the
 * person presses Escape at any step.
 */
import * as vscode from 'vscode';
import { keyIdFor, normalizePastedKey, privateKeyProblem, RSA_ONLY_REASON } from '../core/credentials';
import { InvalidInputError } from '../core/errors';
import type { AuthConfig } from '../core/types';

/** `step` gives the title of each step, e.g. `Add Okta org (2/3)`. */
export type StepTitle = (step: 'method' | 'credential') => string;

export async function askCredential(title: StepTitle): Promise<AuthConfig | undefined> {
  const method = await vscode.window.showQuickPick(
    [
      { label: vscode.l10n.t('API token'), detail: vscode.l10n.t('An SSWS token of a read-only administrator'), mode: 'SSWS' as const },
      { label: vscode.l10n.t('OAuth service app'), detail: vscode.l10n.t('Client ID and private key, scope okta.logs.read'), mode: 'PrivateKey' as const },
    ],
    { title: title('method'), placeHolder: vscode.l10n.t('How should Okta MAU sign in to the org?'), ignoreFocusOut: true },
  );
  if (!method) return undefined;
  if (method.mode === 'SSWS') {
    const token = await vscode.window.showInputBox({
      title: title('credential'),
      prompt: vscode.l10n.t('API token (Security › API › Tokens in the Admin Console)'),
      placeHolder: vscode.l10n.t('00a…'),
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => (/^\S{10,}$/.test(v.trim()) ? undefined : vscode.l10n.t('Paste the whole token (no spaces).')),
    });
    return token ? { mode: 'SSWS', token: token.trim() } : undefined;
  }
  const clientId = await vscode.window.showInputBox({
    title: title('credential'),
    prompt: vscode.l10n.t('Client ID of the OAuth service app'),
    placeHolder: '0oa…',
    ignoreFocusOut: true,
    validateInput: (v) => (/^\S+$/.test(v.trim()) ? undefined : vscode.l10n.t('Enter the client ID.')),
  });
  if (!clientId) return undefined;
  const privateKey = await askPrivateKey(title('credential'));
  if (!privateKey) return undefined;
  let keyId: string | undefined;
  if (!keyIdFor(privateKey)) {
    keyId = await vscode.window.showInputBox({
      title: title('credential'),
      prompt: vscode.l10n.t('Key ID (kid) of the public key registered with the app'),
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('A PEM key needs its key ID.')),
    });
    if (!keyId) return undefined;
  }
  return { mode: 'PrivateKey', clientId: clientId.trim(), privateKey, ...(keyId ? { keyId: keyId.trim() } : {}) };
}

async function askPrivateKey(title: string): Promise<string | undefined> {
  const fromFile = vscode.l10n.t('Choose a key file…');
  const paste = vscode.l10n.t('Paste the key (JWK or PEM)');
  const how = await vscode.window.showQuickPick([fromFile, paste], { title, placeHolder: vscode.l10n.t('Private key'), ignoreFocusOut: true });
  if (how === fromFile) {
    const picked = await vscode.window.showOpenDialog({
      title,
      canSelectMany: false,
      filters: { [vscode.l10n.t('Private keys')]: ['pem', 'key', 'json', 'jwk'], [vscode.l10n.t('All files')]: ['*'] },
    });
    if (!picked?.[0]) return undefined;
    const text = Buffer.from(await vscode.workspace.fs.readFile(picked[0])).toString('utf8');
    const problem = keyProblem(text);
    if (problem) throw new InvalidInputError(problem);
    return text.trim();
  }
  if (how !== paste) return undefined;
  const pasted = await vscode.window.showInputBox({
    title,
    prompt: vscode.l10n.t('Private key: a JWK (JSON) or a PEM block'),
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) => keyProblem(normalizePastedKey(v)),
  });
  return pasted ? normalizePastedKey(pasted) : undefined;
}

/**
 * A one-line reason the text is not a usable private key, or undefined when it is one: the core's
 * check (an RSA private key node:crypto can read), worded for an input box.
 */
export function keyProblem(text: string): string | undefined {
  const problem = privateKeyProblem(text);
  switch (problem?.kind) {
    case undefined:
      return undefined;
    case 'invalidJson':
      return vscode.l10n.t('The JWK is not valid JSON.');
    case 'public':
      return vscode.l10n.t('That is a public key; the private key (a PEM PRIVATE KEY block, or a JWK with "d") is needed.');
    case 'notRsa':
      return vscode.l10n.t('The key type is {0}; use an RSA private key ({1}).', problem.keyType ?? vscode.l10n.t('unknown'), RSA_ONLY_REASON);
    case 'empty':
    case 'unreadable':
      return vscode.l10n.t('Expected a JWK (JSON) or a PEM block starting with -----BEGIN PRIVATE KEY-----.');
  }
}
