/**
 * The baseline: the published reference recipe for counting Okta MAUs, as an admin runs it today with
 * `@okta/okta-sdk-nodejs` 8.x. Kept deliberately as the recipe has it (default request executor and
 * cache, one cursor followed page by page, `Array.indexOf` de-duplication), with two corrections so
 * that it does the same work as Okta MAU and its answer can be checked against the ground truth:
 * the bounds are ISO strings with `until` = first instant of the next month, and failed sign-ins are
 * filtered out. The SDK yields `null` for an empty page, which the recipe would crash on: skipped.
 */
export interface BaselineResult {
  mau: number;
  /** Events the loop saw (not de-duplicated: the recipe does not de-duplicate events). */
  events: number;
}

export const BASELINE_FILTER = 'eventType eq "user.session.start" and outcome.result eq "SUCCESS" and actor.type eq "User"';

interface LogEventLike {
  actor?: { id?: string };
}

export async function countWithRecipe(orgUrl: string, token: string, since: string, until: string): Promise<BaselineResult> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const okta = require('@okta/okta-sdk-nodejs') as { Client: new (config: Record<string, unknown>) => RecipeClient };
  const client = new okta.Client({ orgUrl, token, authorizationMode: 'SSWS' });
  const collection = await client.systemLogApi.listLogEvents({ since, until, filter: BASELINE_FILTER, limit: 1000 });
  const users: string[] = [];
  let events = 0;
  for await (const ev of collection) {
    if (!ev) continue;
    events++;
    const id = ev.actor?.id;
    if (id !== undefined && users.indexOf(id) === -1) users.push(id);
  }
  return { mau: users.length, events };
}

interface RecipeClient {
  systemLogApi: {
    listLogEvents(params: { since: string; until: string; filter: string; limit: number }): Promise<AsyncIterable<LogEventLike | null>>;
  };
}
