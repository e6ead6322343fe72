/**
 * Injected faults, consumed in order, and the second origin a `foreignNext` fault points at.
 * The foreign server only ever binds a loopback address: it exists to prove that a client does
 * not follow a `next` link off the org, and above all does not send its credential there.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AuthScheme, Endpoint, Fault, ForeignHit } from './types';

export function authScheme(header: string | undefined): AuthScheme {
  if (!header) return 'none';
  const scheme = header.split(' ', 1)[0].toLowerCase();
  return scheme === 'ssws' ? 'SSWS' : scheme === 'bearer' ? 'Bearer' : scheme === 'dpop' ? 'DPoP' : 'other';
}

export class FaultQueue {
  private readonly queue: { fault: Fault; left: number }[] = [];

  add(fault: Fault): void {
    const times = fault.times ?? 1;
    if (!(times >= 1)) throw new Error(`fault "times" must be >= 1, got ${times}`);
    this.queue.push({ fault, left: times });
  }

  /** The first fault that applies to this request, consumed once. */
  take(endpoint: Endpoint, hasAfter: boolean): Fault | undefined {
    const k = this.queue.findIndex(({ fault }) => (!fault.endpoint || fault.endpoint === endpoint) && (!fault.afterOnly || hasAfter));
    if (k < 0) return undefined;
    const entry = this.queue[k];
    if (--entry.left === 0) this.queue.splice(k, 1);
    return entry.fault;
  }

  get pending(): number {
    return this.queue.reduce((n, e) => n + e.left, 0);
  }
}

export class ForeignOrigin {
  private server: Server | undefined;
  private origin: string | undefined;
  readonly hits: ForeignHit[] = [];

  constructor(private readonly orgHost: string) {}

  /** Starts on first use: most tests never need it. */
  async url(): Promise<string> {
    if (this.origin) return this.origin;
    const server = createServer((req, res) => {
      this.hits.push({ method: req.method ?? 'GET', path: req.url ?? '/', authorization: req.headers.authorization !== undefined, auth: authScheme(req.headers.authorization) });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('[]');
    });
    // Another loopback address gives a different origin even to clients that ignore ports.
    const host = this.orgHost === '127.0.0.1' ? '127.0.0.2' : '127.0.0.1';
    const listen = (h: string) =>
      new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, h, () => {
          server.off('error', reject);
          resolve();
        });
      });
    let bound = host;
    try {
      await listen(host);
    } catch {
      bound = this.orgHost === '::1' ? '::1' : '127.0.0.1';
      await listen(bound);
    }
    this.server = server;
    const { port } = server.address() as AddressInfo;
    this.origin = `http://${bound.includes(':') ? `[${bound}]` : bound}:${port}`;
    return this.origin;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
