/**
 * Reading answers off the wire: a page's body as bytes, bounded in size and time, at most a few at
 * once (`Gate`), and network failures said in words.
 */
import { CancelledError, oneLine } from './errors';
import type { FetchLikeResponse } from './oktaClient';

/** A page of 1,000 events is 2–5 MB; a body beyond this is refused rather than buffered. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed',
  ETIMEDOUT: 'connection timed out',
  ENOTFOUND: 'no such host (DNS)',
  EAI_AGAIN: 'DNS lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  CERT_HAS_EXPIRED: 'its TLS certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its TLS certificate is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'its TLS certificate chain is not trusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its TLS certificate cannot be verified',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its TLS certificate is for another host',
  ERR_STREAM_PREMATURE_CLOSE: 'connection closed early',
};

/** A network failure in words (the code in brackets for a search), never a raw multi-line message. */
export function networkReason(err: unknown): string {
  const e = err as { code?: unknown; errno?: unknown; type?: unknown; message?: unknown };
  const code = typeof e?.code === 'string' ? e.code : typeof e?.errno === 'string' ? e.errno : undefined;
  if (code) return NETWORK_REASONS[code] ? `${NETWORK_REASONS[code]} (${code})` : code;
  if (typeof e?.message === 'string' && /premature close|aborted/i.test(e.message)) return 'connection closed early';
  // No code: one of this file's own reasons (a stalled or oversized body), said as it is.
  if (typeof e?.message === 'string' && e.message) return oneLine(e.message, 120);
  return typeof e?.type === 'string' ? e.type : 'network error';
}

/**
 * Reads a body as bytes, failing when the connection stalls or ends short of its Content-Length: a
 * body cut off mid-way must be retried, never parsed or waited on forever. Kept as bytes: a page decoded
 * whole would be a 2 MB string in V8's old generation, garbage that piles up until a full collection;
 * events are decoded one by one from the buffer instead.
 */
export async function readBody(response: FetchLikeResponse, idleMs: number, bufferOf: (size: number) => Buffer, deadlineMs = Infinity): Promise<Buffer> {
  const body = response.body;
  if (!body || typeof body.on !== 'function') return Buffer.from(await response.text());
  // A compressed body arrives decompressed, so its Content-Length (the compressed size) says nothing
  // about the bytes read here; a cut-off gzip stream fails in the decompressor instead.
  const encoding = response.headers.get('content-encoding');
  const length = encoding && encoding !== 'identity' ? NaN : Number(response.headers.get('content-length'));
  const expected = Number.isSafeInteger(length) && length > 0 ? length : undefined;
  if (expected !== undefined && expected > MAX_BODY_BYTES) {
    body.destroy?.();
    throw new Error(`a body of ${expected} bytes is more than a page can be`);
  }
  return new Promise((resolve, reject) => {
    // With a known length the chunks are copied into one buffer as they come, never held twice.
    const whole = expected === undefined ? undefined : bufferOf(expected);
    const chunks: Buffer[] = [];
    let received = 0;
    const fail = (err: Error) => {
      clearTimeout(timer);
      clearTimeout(deadline);
      body.destroy?.();
      reject(err);
    };
    const timer = setTimeout(() => fail(new Error(`no data for ${idleMs} ms`)), idleMs);
    // Data dripping in just faster than the idle bound must still end: the whole body has a deadline.
    const deadline = Number.isFinite(deadlineMs) ? setTimeout(() => fail(new Error(`not read within ${deadlineMs / 1000} s`)), deadlineMs) : undefined;
    body.on('data', (chunk: Buffer) => {
      if (whole) {
        if (received + chunk.length > whole.length) return fail(new Error(`more than the ${whole.length} bytes announced`));
        chunk.copy(whole, received);
      } else {
        if (received + chunk.length > MAX_BODY_BYTES) return fail(new Error(`a body of more than ${MAX_BODY_BYTES} bytes is more than a page can be`));
        chunks.push(chunk);
      }
      received += chunk.length;
      timer.refresh();
    });
    body.once('error', (err: unknown) => fail(err instanceof Error ? err : new Error(String(err))));
    body.once('end', () => {
      clearTimeout(timer);
      clearTimeout(deadline);
      if (whole && received < whole.length) reject(new Error(`${received} of ${whole.length} bytes`));
      else if (whole) resolve(whole);
      else {
        const out = bufferOf(received);
        for (let at = 0, i = 0; i < chunks.length; at += chunks[i++].length) chunks[i].copy(out, at);
        resolve(out);
      }
    });
  });
}

/** A counting semaphore whose waiters leave when the run is cancelled. */
export class Gate {
  private readonly waiters: Array<() => void> = [];

  constructor(private free: number) {}

  enter(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(new CancelledError());
    if (this.free > 0) {
      this.free--;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        const i = this.waiters.indexOf(admit);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(new CancelledError());
      };
      const admit = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      this.waiters.push(admit);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  leave(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.free++;
  }
}
