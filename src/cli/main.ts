/**
 * The `okta-mau` command line: a thin host over the core. Parses, reads credentials from the
 * environment, runs the count with a cancellable signal, prints the report, and maps any failure
 * once to a one-line message and an exit code.
 */
import { version } from '../../package.json';
import { describeError, exitCodeFor, isCancelled, maskSecrets, EXIT } from '../core/errors';
import { visibleControls } from '../core/format';
import { parseCliArgs } from './args';
import { clockFromEnv, credentialsFromEnv, retryFromEnv, type Env } from './env';
import { HELP } from './help';
import { runHistory } from './historyCommand';

interface Output {
  write(text: string): boolean;
  isTTY?: boolean;
  columns?: number;
}

export interface CliIo {
  stdout: Output;
  stderr: Output;
}

export async function runCli(argv: readonly string[], env: Env, signal: AbortSignal, io: CliIo): Promise<number> {
  let secrets: string[] = [];
  try {
    const request = parseCliArgs(argv, env);
    if (request.command === 'help' || request.command === 'version') {
      io.stdout.write(request.command === 'help' ? HELP : `okta-mau ${version}\n`);
      return EXIT.ok;
    }
    if (request.command === 'history') {
      // The cache only: no credential is read, no request is made.
      runHistory(request, env, (text) => io.stdout.write(text), (line) => io.stderr.write(`okta-mau: warning: ${visibleControls(line)}\n`));
      return EXIT.ok;
    }

    const { auth, secrets: known } = credentialsFromEnv(env);
    secrets = known;
    const retry = retryFromEnv(env);
    // Loaded here, not at the top: help, version, history and usage errors need not load the Okta SDK.
    const { checkCredential } = await import('../core/count');
    if (request.command === 'check') {
      await checkCredential(request.orgUrl, auth, signal);
      io.stdout.write(`ok: the credential can read the System Log of ${request.orgUrl}\n`);
      // The Users API is for okta-mau inactive only: a credential without it still counts MAUs.
      const { checkUsersAccess } = await import('../core/users');
      const users = await checkUsersAccess(request.orgUrl, auth, signal);
      io.stdout.write(
        users.readable
          ? `ok: it can read the Users API too (okta-mau inactive)\n`
          : `note: it cannot read the Users API, which only okta-mau inactive needs: ${visibleControls(maskSecrets(users.reason, secrets))}\n`,
      );
      return EXIT.ok;
    }
    const ctx = { auth, secrets, retry, clock: clockFromEnv(env), env, signal, stdout: io.stdout, stderr: io.stderr };
    if (request.command === 'inactive') {
      const { runInactive } = await import('./inactiveCommand');
      await runInactive(request, ctx);
      return EXIT.ok;
    }
    const { runCount } = await import('./countCommand');
    await runCount(request, ctx);
    return EXIT.ok;
  } catch (err) {
    if (signal.aborted || isCancelled(err)) {
      io.stderr.write('okta-mau: cancelled\n');
      return EXIT.cancelled;
    }
    io.stderr.write(`okta-mau: ${describeError(err, secrets)}\n`);
    return exitCodeFor(err);
  }
}

/** How long a cancelled run may take to wind down its requests before the process just exits. */
const CANCEL_GRACE_MS = 5000;

function main(): void {
  const controller = new AbortController();
  let signalExit: number = EXIT.cancelled;
  const onSignal = (sig: NodeJS.Signals): void => {
    // A second Ctrl+C means "now", even if some request is slow to notice the abort.
    if (controller.signal.aborted) process.exit(signalExit);
    signalExit = sig === 'SIGTERM' ? 143 : EXIT.cancelled;
    controller.abort();
    setTimeout(() => {
      process.stderr.write('okta-mau: cancelled\n');
      process.exit(signalExit);
    }, CANCEL_GRACE_MS).unref();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // `okta-mau count --format csv | head` closes the pipe early; that is not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(EXIT.ok);
  });

  runCli(process.argv.slice(2), process.env, controller.signal, { stdout: process.stdout, stderr: process.stderr })
    // A run that printed its report succeeded, even if Ctrl+C came after; a cancelled one says which signal.
    .then((code) => (code === EXIT.cancelled ? signalExit : code))
    .catch(() => EXIT.failure)
    // Exit once stdout is flushed: idle keep-alive sockets must not hold a scheduled run open.
    .then((code) => process.stdout.write('', () => process.exit(code)));
}

if (require.main === module) main();
