/**
 * Org data (display names, logins, Okta's error text) in Markdown tooltips. It is untrusted: a user
 * named `![](https://evil.example/x.png) [Re-enter your token](https://phish.example)` must show as
 * exactly that text, not as a remote image and a link.
 */
import * as vscode from 'vscode';

/** A tooltip for text this extension wrote, with org data added through `markdownText` only. */
export function safeMarkdown(supportThemeIcons = false): vscode.MarkdownString {
  const md = new vscode.MarkdownString('', supportThemeIcons);
  // The defaults, said out loud: no command links run from a tooltip, no HTML is rendered.
  md.isTrusted = false;
  md.supportHtml = false;
  return md;
}

/**
 * `text` as Markdown that renders as exactly that text, on one line. Every ASCII punctuation mark is
 * backslash-escaped (CommonMark renders an escaped mark as itself), which also breaks `$(icon)`
 * syntax and the bare URL and e-mail autolinks of GitHub-flavoured Markdown (`https\:\/\/…`,
 * `user\@example\.com`); `<`, `>` and `&` become entities, so no tag or entity of the data's own
 * survives. Line breaks and other control characters become spaces, so data never starts a block
 * (a heading, a list, a quote, a code block).
 */
export function markdownText(text: string): string {
  return text
    .replace(/[\p{Cc}\p{Zl}\p{Zp}\s]+/gu, ' ')
    .trim()
    .replace(/[!-%'-/:;=?@[-`{-~]/g, '\\$&')
    .replace(/[&<>]/g, (c) => ENTITIES[c]!);
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/**
 * A message for a notification. VS Code turns `[label](target)` in a notification into a link (a
 * command link included); a message quoting Okta's text, or a server posing as Okta, must not offer
 * one. Breaking the `](` pair leaves the words readable.
 */
export function notificationText(message: string): string {
  return message.replace(/\]\s*\(/g, '] (');
}
