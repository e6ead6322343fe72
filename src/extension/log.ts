/**
 * The "Okta MAU" log channel. Every line passes through `maskSecrets` with the credentials this
 * window knows about, so a token can never reach the output panel or its log file.
 */
import * as vscode from 'vscode';
import { maskSecrets } from '../core/errors';

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  show(): void;
}

export function createLogger(channel: vscode.LogOutputChannel, secrets: () => readonly string[]): Logger {
  const clean = (message: string) => maskSecrets(message, secrets());
  return {
    info: (m) => channel.info(clean(m)),
    warn: (m) => channel.warn(clean(m)),
    error: (m) => channel.error(clean(m)),
    show: () => channel.show(true),
  };
}
