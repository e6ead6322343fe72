/** The `okta-mau --help` text. Kept apart from the parser so each file has one reason to change. */
import { CONCURRENCY_RANGE, DEFAULT_CONCURRENCY, DEFAULT_RESERVE_PERCENT, RESERVE_PERCENT_RANGE } from '../core/types';
import { DEFAULT_TOP_USERS } from '../core/format';
import { DEFAULT_SOURCE, SOURCE_KINDS, sourceDefinition } from '../core/sources';
import { BILLABLE_STATUSES } from '../core/userStatus';

/** `a, b or c`. */
const orList = (items: readonly string[]): string => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`);

/** Every registered source, as `--source` takes it: `logs (System Log, default) or events (legacy Events API)`. */
const SOURCES = orList(SOURCE_KINDS.map((kind) => `${kind} (${sourceDefinition(kind).summary}${kind === DEFAULT_SOURCE ? ', default' : ''})`));

export const HELP = `okta-mau: count an Okta org's Monthly Active Users from its System Log

Usage:
  okta-mau count --org-url <url> [options]   Count the distinct users who signed in during a UTC month
  okta-mau check --org-url <url>             Check that the credential can read the System Log
  okta-mau history --org-url <url>           List the cached counts of an org, oldest first (no credential,
                                             no request to Okta)
  okta-mau history --all [--month <YYYY-MM>] One month of every org in the cache and their total
                                             (default: the last complete month; no credential)
  okta-mau inactive --org-url <url> [--month <YYYY-MM> | --days <n>]
                                             List the users who hold a licence without signing in: none in
                                             the month (default: the last complete month, its cached count
                                             or a new one), or none in the last n days by Okta's lastLogin;
                                             the users are listed incrementally from the cached listing
  okta-mau --help | --version

Options:
  --org-url <url>        The org, e.g. https://acme.okta.com (or set OKTA_ORG_URL)
  --month <YYYY-MM>      UTC month to count (default: the current month, counted up to now)
  --format <f>           table (default), json or csv; written to stdout
  --all                  table format: list every active user, not only the top ${DEFAULT_TOP_USERS}
  --definition <d>       What makes a user active: sign-ins (default: user.session.start) or
                         customer-identity (sign-ins and OAuth token grants, as Okta counts
                         Customer Identity MAU); for count, history and inactive --month
  --source <s>           ${SOURCES}
  --event-type <type>    A custom definition: a System Log event type that makes a user active;
                         repeat for several (not with --definition). Only successful events of
                         User actors count
  --reserve <percent>    Share of the org's rate limit left for other clients, ${RESERVE_PERCENT_RANGE.min}-${RESERVE_PERCENT_RANGE.max} (default ${DEFAULT_RESERVE_PERCENT})
  --concurrency <n>      Most requests in flight, ${CONCURRENCY_RANGE.min}-${CONCURRENCY_RANGE.max} (default ${DEFAULT_CONCURRENCY})
  --verbose              Log each request (method, path, status, timing) on stderr
  --since-last           Continue from the cached count of the same month: fetch only what was
                         published since (for scheduled runs, e.g. cron every 15 minutes)
  --cache-dir <dir>      Where counts are cached (or set OKTA_MAU_CACHE_DIR; default
                         $XDG_CACHE_HOME/okta-mau or ~/.cache/okta-mau, ~/Library/Caches/okta-mau
                         on macOS, %LOCALAPPDATA%\\okta-mau on Windows); also for history
  --no-cache             Do not save this count (every successful count is saved otherwise)
  --days <n>             inactive: users whose last sign-in is older than n days (1-3650), or who never
                         signed in; reaches past the System Log's 90 days
  --status <s>           inactive: a user status that holds a licence; repeat for several (default:
                         ${BILLABLE_STATUSES.join(', ')})
  --from-scratch         inactive: list every user, not only those changed since the cached listing
  -h, --help             Show this help
  -V, --version          Show the version

Credentials (environment only, never on the command line):
  OKTA_API_TOKEN                       An API token (SSWS) of a read-only admin
  OKTA_CLIENT_ID + OKTA_PRIVATE_KEY    An OAuth service app with the okta.logs.read scope;
                                       OKTA_PRIVATE_KEY is a PEM or JWK key, or a file path
  OKTA_KEY_ID                          The key ID (required for PEM keys, optional for a JWK with "kid")
  OKTA_SCOPES                          Scopes to request (default: okta.logs.read; for inactive,
                                       okta.logs.read okta.users.read)

Network:
  HTTPS_PROXY                          An HTTP proxy for every request, the token request included
  NO_PROXY                             Hosts reached directly: *, example.com (and its subdomains),
                                       IP addresses, each with an optional :port

Cached reports hold user activity (logins, IP addresses) but never a credential; files are
readable by their owner only. Each definition's counts are cached apart; history takes --format,
--definition, --source and --event-type like count and lists the months of that definition.

Exit codes: 0 ok, 2 invalid usage or input, 3 authentication or permission,
            4 API or network failure after retries, 130 cancelled (Ctrl+C)
`;
