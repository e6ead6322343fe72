/** Response bodies as Okta writes them, and the small reply type every route returns. */
import { randomBytes } from 'node:crypto';

export interface Reply {
  status: number;
  body: string;
  contentType?: string;
  /** Extra headers; arrays become repeated header lines (Okta sends one `link` line per relation). */
  headers?: Record<string, string | string[]>;
  /** Events in a successful page, for the stats. */
  events?: number;
  /** Users in a successful page, for the stats. */
  users?: number;
  /** Extra time to hold the answer, on top of the latency (a query that ran into Okta's timeout). */
  delayMs?: number;
}

export const SUMMARIES: Record<string, string> = {
  E0000001: 'Api validation failed',
  E0000006: 'You do not have permission to perform the requested action',
  E0000007: 'Not found: Resource not found',
  E0000009: 'Internal Server Error',
  E0000011: 'Invalid token provided',
  E0000022: 'The endpoint does not support the provided HTTP method',
  E0000031: 'Invalid search criteria.',
  E0000047: 'API call exceeded rate limit due to too many requests.',
  E0000053: 'Invalid filter query.',
};

export function errorId(): string {
  return 'oae' + randomBytes(15).toString('base64url').slice(0, 19);
}

export function oktaError(status: number, code: string, causes: string[] = [], summary = SUMMARIES[code] ?? 'Error'): Reply {
  return {
    status,
    body: JSON.stringify({
      errorCode: code,
      errorSummary: summary,
      errorLink: code,
      errorId: errorId(),
      errorCauses: causes.map((errorSummary) => ({ errorSummary })),
    }),
  };
}

/**
 * What a System Log query that ran past Okta's 30 s limit gets. Okta documents the limit and the code,
 * not the wording of the summary, so this is E0000009's documented summary with a cause that says why.
 */
export function queryTimedOut(): Reply {
  return oktaError(500, 'E0000009', ['The request took too long to complete. Narrow the time range or filter.']);
}

export function oauthError(status: number, error: string, description: string): Reply {
  return { status, body: JSON.stringify({ error, error_description: description }) };
}

const GATEWAY_TEXT: Record<number, string> = { 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout' };

/** What a load balancer in front of Okta answers: HTML, not JSON. */
export function gatewayPage(status: 502 | 503 | 504): Reply {
  const text = `${status} ${GATEWAY_TEXT[status]}`;
  return {
    status,
    contentType: 'text/html',
    body: `<html>\r\n<head><title>${text}</title></head>\r\n<body>\r\n<center><h1>${text}</h1></center>\r\n</body>\r\n</html>\r\n`,
  };
}

/** Strict ISO 8601 (what Okta accepts for since/until); rejects `Date.prototype.toString()` output. */
const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

export function parseInstant(text: string): number | undefined {
  if (!ISO.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : undefined;
}

/** Opaque paging cursor: the timeline key (published ms, seq) the next page starts after. */
export interface Cursor {
  p: number;
  s: number;
  /** DESCENDING only: the lower bound, for next links that do not repeat `since`. */
  lo?: number;
  /** The `since` of the query that issued the cursor, so a `since` next to it can be told to be the link's own. */
  sn?: number;
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify({ v: 1, p: c.p, s: c.s, ...(c.lo !== undefined ? { lo: c.lo } : {}), ...(c.sn !== undefined ? { sn: c.sn } : {}) })).toString('base64url');
}

export function decodeCursor(text: string): Cursor | undefined {
  try {
    const c = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as { v?: unknown; p?: unknown; s?: unknown; lo?: unknown; sn?: unknown };
    if (c.v === 1 && typeof c.p === 'number' && typeof c.s === 'number') {
      return { p: c.p, s: c.s, ...(typeof c.lo === 'number' ? { lo: c.lo } : {}), ...(typeof c.sn === 'number' ? { sn: c.sn } : {}) };
    }
  } catch {
    // fall through: any text that is not ours is an invalid cursor
  }
  return undefined;
}
