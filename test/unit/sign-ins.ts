/** Sign-ins for the unit tests of the event sources and the aggregator: a System Log event and its counted form. */
import { MALFORMED, type EventSource, type SignIn } from '../../src/core/sources';

/** A counted sign-in from an event the test knows to be readable. */
export function signIn(source: EventSource, event: unknown): SignIn {
  const s = source.toSignIn(event);
  if (!s || s === MALFORMED) throw new Error('not a counted sign-in');
  return s;
}

export const monthStart = Date.parse('2026-10-01T00:00:00Z');
export const logEvent = (o: { uuid: string; at: string; id?: string; result?: string; type?: string; eventType?: string; ip?: string }) => ({
  uuid: o.uuid,
  published: o.at,
  eventType: o.eventType ?? 'user.session.start',
  outcome: { result: o.result ?? 'SUCCESS', reason: null },
  actor: { id: o.id ?? '00u1', type: o.type ?? 'User', alternateId: 'ada@example.com', displayName: 'Ada Lovelace' },
  client: { ipAddress: o.ip ?? '192.0.2.1', device: 'Computer', userAgent: { browser: 'CHROME', os: 'Mac OS X' }, geographicalContext: { country: 'United Kingdom', city: 'London' } },
});
