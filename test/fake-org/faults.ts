/**
 * Injected faults, consumed in order. The servers that `foreignNext` and `redirect` faults point at
 * live in `foreign.ts`.
 */
import type { AuthScheme, Endpoint, Fault } from './types';

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
    if (fault.kind === 'redirect' && ![301, 302, 303, 307, 308].includes(fault.status)) throw new Error(`redirect status must be 301, 302, 303, 307 or 308, got ${fault.status}`);
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
