/** Realistic-looking values the generator draws from. Fixed lists keep generated orgs reproducible. */

export const FIRST_NAMES = [
  'Ada', 'Alan', 'Amara', 'Ana', 'Arjun', 'Beatriz', 'Ben', 'Carlos', 'Chen', 'Chloe', 'Daniel', 'Diego',
  'Elena', 'Emma', 'Fatima', 'Felix', 'Grace', 'Hana', 'Hiro', 'Ines', 'Isaac', 'Jamal', 'Jane', 'Jonas',
  'Kai', 'Karin', 'Leila', 'Liam', 'Lucia', 'Maria', 'Mateo', 'Mei', 'Mohammed', 'Nadia', 'Noah', 'Olga',
  'Omar', 'Priya', 'Quinn', 'Rafael', 'Rosa', 'Sam', 'Sara', 'Sofia', 'Tariq', 'Tom', 'Uma', 'Victor',
  'Wei', 'Yara', 'Yusuf', 'Zoe',
] as const;

export const LAST_NAMES = [
  'Adeyemi', 'Andersen', 'Bauer', 'Becker', 'Brown', 'Castro', 'Chen', 'Costa', 'Dubois', 'Evans', 'Fischer',
  'Garcia', 'Gupta', 'Hansen', 'Hernandez', 'Ito', 'Jensen', 'Johnson', 'Kim', 'Kowalski', 'Kumar', 'Larsen',
  'Lee', 'Lopez', 'Martin', 'Moreau', 'Muller', 'Nakamura', 'Nguyen', 'Novak', 'Okafor', 'Olsen', 'Patel',
  'Pereira', 'Rossi', 'Santos', 'Schmidt', 'Silva', 'Singh', 'Smith', 'Sato', 'Tanaka', 'Taylor', 'Wagner',
  'Walker', 'Wang', 'Weber', 'Williams', 'Wilson', 'Yilmaz', 'Zhang',
] as const;

export interface Place {
  city: string;
  state: string;
  country: string;
  postalCode: string;
  lat: number;
  lon: number;
  /** First two octets of addresses handed out here. */
  net: string;
  isp: string;
  domain: string;
  asNumber: number;
}

export const PLACES: readonly Place[] = [
  { city: 'San Francisco', state: 'California', country: 'United States', postalCode: '94107', lat: 37.7697, lon: -122.3933, net: '73.202', isp: 'comcast', domain: 'comcast.net', asNumber: 7922 },
  { city: 'New York', state: 'New York', country: 'United States', postalCode: '10001', lat: 40.7506, lon: -73.9972, net: '68.173', isp: 'verizon', domain: 'verizon.net', asNumber: 701 },
  { city: 'Austin', state: 'Texas', country: 'United States', postalCode: '78701', lat: 30.2672, lon: -97.7431, net: '99.108', isp: 'at&t', domain: 'att.net', asNumber: 7018 },
  { city: 'Chicago', state: 'Illinois', country: 'United States', postalCode: '60601', lat: 41.8858, lon: -87.6181, net: '98.227', isp: 'comcast', domain: 'comcast.net', asNumber: 7922 },
  { city: 'Toronto', state: 'Ontario', country: 'Canada', postalCode: 'M5H', lat: 43.6532, lon: -79.3832, net: '142.114', isp: 'rogers', domain: 'rogers.com', asNumber: 812 },
  { city: 'London', state: 'England', country: 'United Kingdom', postalCode: 'EC1A', lat: 51.5074, lon: -0.1278, net: '86.145', isp: 'bt', domain: 'bt.com', asNumber: 2856 },
  { city: 'Berlin', state: 'Land Berlin', country: 'Germany', postalCode: '10115', lat: 52.52, lon: 13.405, net: '91.64', isp: 'deutsche telekom ag', domain: 't-online.de', asNumber: 3320 },
  { city: 'Paris', state: 'Ile-de-France', country: 'France', postalCode: '75001', lat: 48.8566, lon: 2.3522, net: '90.84', isp: 'orange', domain: 'orange.fr', asNumber: 3215 },
  { city: 'Amsterdam', state: 'North Holland', country: 'Netherlands', postalCode: '1012', lat: 52.3676, lon: 4.9041, net: '84.241', isp: 'kpn', domain: 'kpn.com', asNumber: 1136 },
  { city: 'Bengaluru', state: 'Karnataka', country: 'India', postalCode: '560001', lat: 12.9716, lon: 77.5946, net: '49.207', isp: 'bharti airtel', domain: 'airtel.in', asNumber: 24560 },
  { city: 'Singapore', state: 'Singapore', country: 'Singapore', postalCode: '018989', lat: 1.2839, lon: 103.8515, net: '116.86', isp: 'singtel', domain: 'singtel.com', asNumber: 9506 },
  { city: 'Tokyo', state: 'Tokyo', country: 'Japan', postalCode: '100-0001', lat: 35.6762, lon: 139.6503, net: '126.24', isp: 'ntt', domain: 'ocn.ne.jp', asNumber: 4713 },
  { city: 'Sydney', state: 'New South Wales', country: 'Australia', postalCode: '2000', lat: -33.8688, lon: 151.2093, net: '101.160', isp: 'telstra', domain: 'telstra.net', asNumber: 1221 },
  { city: 'Sao Paulo', state: 'Sao Paulo', country: 'Brazil', postalCode: '01000', lat: -23.5505, lon: -46.6333, net: '177.75', isp: 'vivo', domain: 'vivo.com.br', asNumber: 26599 },
];

export interface Agent {
  raw: string;
  os: string;
  browser: string;
  device: 'Computer' | 'Mobile' | 'Unknown';
}

export const AGENTS: readonly Agent[] = [
  { raw: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36', os: 'Windows 10', browser: 'CHROME', device: 'Computer' },
  { raw: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36', os: 'Mac OS X', browser: 'CHROME', device: 'Computer' },
  { raw: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15', os: 'Mac OS X', browser: 'SAFARI', device: 'Computer' },
  { raw: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0', os: 'Windows 10', browser: 'FIREFOX', device: 'Computer' },
  { raw: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0', os: 'Windows 10', browser: 'EDGE_CHROMIUM', device: 'Computer' },
  { raw: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36', os: 'Linux', browser: 'CHROME', device: 'Computer' },
  { raw: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1', os: 'iOS', browser: 'MOBILE_SAFARI', device: 'Mobile' },
  { raw: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36', os: 'Android', browser: 'CHROME', device: 'Mobile' },
  { raw: 'Okta Verify/9.30.0 (iPhone; iOS 18.1)', os: 'iOS', browser: 'UNKNOWN', device: 'Mobile' },
];

export interface App {
  id: string;
  name: string;
  label: string;
}

export const APPS: readonly App[] = [
  { id: '0oa1salesforce00x7d7', name: 'salesforce', label: 'Salesforce.com' },
  { id: '0oa1slack000000x7d7a', name: 'slack', label: 'Slack' },
  { id: '0oa1office365000x7d7', name: 'msft_office365', label: 'Microsoft Office 365' },
  { id: '0oa1github00000x7d7b', name: 'githubcloud', label: 'GitHub Enterprise Cloud' },
  { id: '0oa1zoom0000000x7d7c', name: 'zoomus', label: 'Zoom' },
  { id: '0oa1workday0000x7d7d', name: 'workday', label: 'Workday' },
];

export const FAILURE_REASONS = ['INVALID_CREDENTIALS', 'VERIFICATION_ERROR', 'LOCKED_OUT'] as const;

/** What people type when the username is wrong (the System Log records it as `alternateId`). */
export const MISTYPED = ['admin', 'test@example.com', 'jdoe', 'root@example.com', 'user1', 'john.smith@exmaple.com'];

/**
 * Names an org can hold that a careless display would act on: Markdown and HTML, terminal escapes,
 * bidirectional overrides, spreadsheet formula prefixes, line separators and a 200-character name.
 * The same kinds the product's tests put into actors' names; `generateUsers` puts them in profiles.
 * No four-byte characters: Okta stores only characters of up to three UTF-8 bytes.
 */
export const HOSTILE_NAMES = [
  '![](https://evil.example/x.png) [Re-enter your Okta token](https://phish.example) <img src=x onerror=alert(1)> $(warning)',
  '\u001b[2J\u001b[HScreen cleared',
  '\u001b]8;;https://evil.example\u001b\\Click\u001b]8;;\u001b\\',
  'Bidi \u202eevil\u202c override',
  "=HYPERLINK(\"https://evil.example\",\"Open\")",
  "+cmd|' /C calc'!A0",
  '<script>alert(1)</script>',
  'Line\u2028separator\r\nand a new line',
  'C1 \u009b31m CSI',
  'W'.repeat(200),
] as const;

/** Logins to go with them; `generateUsers` makes each unique with a number before the `@`. */
export const HOSTILE_LOGINS = [
  '[help](command:oktaMau.removeOrg?%7B%7D)@evil.example',
  'evil\u001b[31m@example.com',
  '=1+1@example.com',
  '<img src=x onerror=alert(1)>@example.com',
  '\u202eevil\u202c@example.com',
] as const;
