/**
 * The `okta-mau` command line: a thin host over the core. Parses, reads credentials from the
 * environment, runs the count with a cancellable signal, prints the report, and maps any failure
 * once to a one-line message and an exit code.
 */
import { version } from '../../package.json';
import {
  checkCredential,
  countMau,
  currentMonth,
  describeError,
  exitCodeFor,
  isCancelled,
  maskSecrets,
  EXIT,
} from '../core';
import { formatReport } from '../core/format';
import { parseCliArgs } from './args';
import { credentialsFromEnv, retryFromEnv, type Env } from './env';
import { HELP } from './help';
import { silentProgress, ttyProgress } from './progress';

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

    const { auth, secrets: known } = credentialsFromEnv(env);
    secrets = known;
    const retry = retryFromEnv(env);
    const log = request.verbose ? (line: string) => void io.stderr.write(`${maskSecrets(line, secrets)}\n`) : undefined;

    if (request.command === 'check') {
      await checkCredential(request.orgUrl, auth, signal);
      io.stdout.write(`ok: the credential can read the System Log of ${request.orgUrl}\n`);
      return EXIT.ok;
    }

    // The progress line and the request log would overwrite each other; the log wins.
    const progress =
      io.stderr.isTTY && !request.verbose ? ttyProgress(io.stderr, request.month ?? currentMonth(new Date())) : silentProgress;
    let report;
    try {
      report = await countMau({
        orgUrl: request.orgUrl,
        auth,
        month: request.month,
        source: request.source,
        eventTypes: request.eventTypes,
        reservePercent: request.reservePercent,
        maxConcurrency: request.maxConcurrency,
        retry,
        signal,
        onProgress: (p) => progress.update(p),
        log,
      });
    } finally {
      progress.done();
    }
    io.stdout.write(formatReport(report, request.format, { top: request.allUsers ? Infinity : 20 }));
    // The table says so itself; JSON has `complete`, but a CSV consumer would never know.
    if (!report.complete && request.format !== 'table') {
      io.stderr.write(`okta-mau: warning: partial count: ${report.partialReason ?? 'part of the month was not counted'}\n`);
    }
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
    .then((code) => (controller.signal.aborted ? signalExit : code))
    .catch(() => EXIT.failure)
    // Exit once stdout is flushed: idle keep-alive sockets must not hold a scheduled run open.
    .then((code) => process.stdout.write('', () => process.exit(code)));
}

if (require.main === module) main();
