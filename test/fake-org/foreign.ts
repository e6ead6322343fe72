/**
 * The servers off the org that `foreignNext` links and `redirect` faults point at: `otherHost` on
 * another loopback address, `otherPort` on the org's own host at another port. They only ever bind
 * loopback. Each answers like an org would (a page of events or users, a token), so a client that follows
 * can be caught by what it counts, and each records what reached it, never a value.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toLegacy } from './events-api';
import { authScheme } from './faults';
import { compileFilter } from './filter';
import { generateMonth } from './generator';
import { decodeCursor, parseInstant } from './replies';
import type { ForeignHit, LogEvent } from './types';

/** How many events a foreign page holds, each by its own `00uFOREIGN…` user. */
export const FOREIGN_EVENTS = 2;

let template: LogEvent | undefined;

/** Successful sign-ins by users who do not exist in the org, inside the requested range so a client's own bounds keep them. */
function foreignEvents(published: number): LogEvent[] {
  template ??= generateMonth({ month: '2026-10', seed: 7, users: 1, sessions: 1, failureRate: 0, otherEventsRate: 0, edges: false }).events[0];
  return Array.from({ length: FOREIGN_EVENTS }, (_, k) => {
    const n = String(k + 1).padStart(10, '0');
    return {
      ...template!,
      actor: { ...template!.actor, id: `00uFOREIGN${n}`, type: 'User', alternateId: `foreign.user${k + 1}@example.com`, displayName: `Foreign User ${k + 1}` },
      outcome: { result: 'SUCCESS', reason: null },
      eventType: 'user.session.start',
      published: new Date(published).toISOString(),
      uuid: randomUUID(),
    };
  });
}

/** An instant inside the range the query asks for: since (or the cursor) to until, or the filter's published bounds. */
function instantFor(url: URL): number {
  const q = url.searchParams;
  let lo = parseInstant(q.get('since') ?? '') ?? decodeCursor(q.get('after') ?? '')?.p;
  let hi = parseInstant(q.get('until') ?? '');
  const filter = q.get('filter');
  if (filter) {
    try {
      const b = compileFilter(filter, { timeFields: new Set(['published']) }).bounds('published');
      if (Number.isFinite(b.min)) lo ??= b.min;
      if (Number.isFinite(b.max)) hi ??= b.max;
    } catch {
      // not a filter this server can read: the other bounds decide
    }
  }
  if (lo !== undefined && hi !== undefined) return lo + Math.floor((hi - lo) / 2);
  if (lo !== undefined) return lo + 1;
  return (hi ?? Date.now()) - 60_000;
}

/** Users that do not exist in the org, shaped as the Users API serves them. */
function foreignUsers(origin: string): string {
  return JSON.stringify(
    Array.from({ length: FOREIGN_EVENTS }, (_, k) => {
      const id = `00uFOREIGN${String(k + 1).padStart(10, '0')}`;
      const login = `foreign.user${k + 1}@example.com`;
      const at = '2020-01-01T00:00:00.000Z';
      return {
        id,
        status: 'ACTIVE',
        created: at,
        activated: at,
        statusChanged: at,
        lastLogin: null,
        lastUpdated: at,
        passwordChanged: at,
        type: { id: 'otyFOREIGN0000000001' },
        profile: { firstName: 'Foreign', lastName: `User ${k + 1}`, mobilePhone: null, secondEmail: null, login, email: login, displayName: `Foreign User ${k + 1}` },
        credentials: { password: {}, provider: { type: 'OKTA', name: 'OKTA' } },
        _links: { self: { href: `${origin}/api/v1/users/${id}` } },
      };
    }),
  );
}

function answer(url: URL): string {
  switch (url.pathname.replace(/\/+$/, '')) {
    case '/api/v1/users':
      return foreignUsers(url.origin);
    case '/api/v1/logs':
      return JSON.stringify(foreignEvents(instantFor(url)));
    case '/api/v1/events':
      return JSON.stringify(foreignEvents(instantFor(url)).map((e) => toLegacy(e, 'core.user_auth.login_success')));
    case '/oauth2/v1/token':
      return JSON.stringify({ token_type: 'Bearer', expires_in: 3600, access_token: `foreign-${randomBytes(16).toString('base64url')}`, scope: 'okta.logs.read' });
    default:
      return '[]';
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= 64 * 1024) chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(''));
  });
}

export class ForeignOrigin {
  private server: Server | undefined;
  private starting: Promise<string> | undefined;

  constructor(
    private readonly orgHost: string,
    private readonly which: 'otherHost' | 'otherPort',
    readonly hits: ForeignHit[],
  ) {}

  /** Starts on first use: most tests never need it. */
  url(): Promise<string> {
    this.starting ??= this.start();
    return this.starting;
  }

  private async start(): Promise<string> {
    const server = createServer((req, res) => {
      void readBody(req).then((body) => {
        this.hits.push({
          origin: this.which,
          method: req.method ?? 'GET',
          path: req.url ?? '/',
          authorization: req.headers.authorization !== undefined,
          auth: authScheme(req.headers.authorization),
          dpop: req.headers.dpop !== undefined,
          clientAssertion: new URLSearchParams(body).has('client_assertion'),
        });
        const text = answer(new URL(req.url ?? '/', `http://${req.headers.host ?? 'foreign.invalid'}`));
        res.writeHead(200, { 'content-type': 'application/json;charset=UTF-8', 'content-length': Buffer.byteLength(text) });
        res.end(text);
      });
    });
    const listen = (h: string) =>
      new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, h, () => {
          server.off('error', reject);
          resolve();
        });
      });
    // Another loopback address gives a different origin even to clients that ignore ports; where
    // 127.0.0.2 cannot be bound, another port on the org's host is the next best thing.
    const preferred = this.which === 'otherPort' ? this.orgHost : this.orgHost === '127.0.0.1' ? '127.0.0.2' : '127.0.0.1';
    let bound = preferred;
    try {
      await listen(preferred);
    } catch {
      bound = this.orgHost === '::1' ? '::1' : '127.0.0.1';
      await listen(bound);
    }
    this.server = server;
    const { port } = server.address() as AddressInfo;
    return `http://${bound.includes(':') ? `[${bound}]` : bound}:${port}`;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
