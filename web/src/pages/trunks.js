// SIP trunks to providers and the outbound routes through them, as the admin pages edit them
// (see ResourceList). docs/trunks.md explains every setting.
import { html } from '../html.js';
import { formatFromNow, joined } from '../format.js';

const kinds = [
  { value: 'register', label: 'Registration (user name and password)' },
  { value: 'ip', label: 'IP authentication (known addresses)' },
];
const transports = [
  { value: 'udp', label: 'UDP' },
  { value: 'tcp', label: 'TCP' },
  { value: 'tls', label: 'TLS' },
];
const callerIdFormats = [
  { value: 'e164', label: 'E.164 (+4930…)' },
  { value: 'national', label: 'National (030…)' },
  { value: 'international', label: 'International (004930…)' },
  { value: 'digits', label: 'Digits as dialled' },
];
const identities = [
  { value: 'pai', label: 'P-Asserted-Identity' },
  { value: 'ppi', label: 'P-Preferred-Identity' },
  { value: 'none', label: 'None: the number goes in From' },
];
const onOff = [
  { value: 'true', label: 'Enabled' },
  { value: 'false', label: 'Disabled' },
];
const yesNo = [
  { value: 'false', label: 'No' },
  { value: 'true', label: 'Yes' },
];

const lines = (text) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);

const names = (text) =>
  text
    .split(/[\s,]+/)
    .map((name) => name.trim())
    .filter(Boolean);

// "+4930123400=200" lines as the API's numbers. A line without "=" goes as a DID without a
// target, so the server's message about it appears at the field.
const toNumbers = (text) =>
  lines(text).map((line) => {
    const [did, ...target] = line.split('=');
    return { did: did.trim(), target: target.join('=').trim() };
  });
const fromNumbers = (numbers) => (numbers || []).map((number) => `${number.did}=${number.target}`).join('\n');

// Whole numbers go as numbers; anything else as typed, for the server to name what is wrong.
const toCount = (text) => (/^\d+$/.test(text.trim()) ? Number(text.trim()) : text);

// The trunk's state as `starling trunks` shows it, with the reason when it fails.
function TrunkState({ status }) {
  switch (status.state) {
    case 'registered':
      return html`<span class="badge ok">Registered</span>
        ${status.expires_at && html` <span class="detail">expires ${formatFromNow(status.expires_at)}</span>`}`;
    case 'failing':
      return html`<span class="badge bad">Failing</span> <span class="detail">${status.reason}</span>`;
    case 'registering':
      return html`<span class="badge warn">Registering</span>`;
    case 'ip':
      return html`<span class="badge ok">IP</span> <span class="detail">no registration needed</span>`;
    case 'disabled':
      return html`<span class="badge">Disabled</span>`;
    default:
      return html`<span class="badge">Not registered</span>`;
  }
}

const passwordField = (label, hint) => ({
  name: 'password',
  label,
  type: 'password',
  autocomplete: 'new-password',
  hint,
});

// The settings both forms share, after name (create) and before password.
const settingFields = () => [
  { name: 'kind', label: 'Kind', type: 'select', options: kinds, required: true },
  { name: 'domain', label: 'Domain', required: true, hint: 'The provider\'s SIP domain: "host" or "host:port".' },
  { name: 'transport', label: 'Transport', type: 'select', options: transports, required: true },
  { name: 'username', label: 'User name', hint: 'The account at the provider (registration trunks).' },
  { name: 'auth_username', label: 'Authentication user name', hint: 'Only if it differs from the user name.' },
];
const routingFields = () => [
  {
    name: 'numbers',
    label: 'Numbers',
    type: 'textarea',
    hint: 'One per line, DID=extension: +4930123400=200. Ranges (+4930123401-+4930123419=201) and patterns (+49301234XX=200) work too.',
  },
  { name: 'unknown_did', label: 'Extension for other numbers', inputmode: 'numeric', hint: 'Without it they get 404.' },
  {
    name: 'allowed_addresses',
    label: 'Allowed addresses',
    type: 'textarea',
    hint: 'Where the provider\'s calls come from, one per line: 192.0.2.10, 198.51.100.0/24 or address:port. Needed for IP trunks; for a registering trunk, only the addresses besides its registrar\'s servers.',
  },
  { name: 'outbound_proxy', label: 'Outbound proxy', hint: 'Send requests to this host[:port] instead of the domain.' },
  { name: 'caller_id_format', label: 'Caller ID format', type: 'select', options: callerIdFormats, required: true },
  { name: 'identity', label: 'Caller identity header', type: 'select', options: identities, required: true },
  { name: 'channels', label: 'Channels', inputmode: 'numeric', hint: 'Calls at once; 0 or empty for no limit.' },
];

export const trunks = {
  title: 'Trunks',
  singular: 'Trunk',
  path: '/trunks',
  route: '/trunks',
  key: 'name',
  intro: 'Connections to SIP providers: calls to public numbers go out through them, and calls to your numbers come in.',
  empty: 'No trunks yet.',
  // A new trunk registers within a second, and registrations run out and renew by themselves.
  refreshSeconds: 5,
  columns: [
    { label: 'Name', key: 'name' },
    { label: 'Domain', key: 'domain' },
    { label: 'State', render: (trunk) => html`<${TrunkState} status=${trunk.status} />` },
    { label: 'Numbers', render: (trunk) => joined((trunk.numbers || []).map((n) => `${n.did} → ${n.target}`)) },
    { label: 'Transport', render: (trunk) => trunk.transport.toUpperCase() },
  ],
  createFields: () => [
    { name: 'name', label: 'Name', required: true, autocomplete: 'off', hint: 'Routes use it, e.g. "provider".' },
    ...settingFields(),
    passwordField('Password', 'The account\'s password (registration trunks). Starling never shows it again.'),
    ...routingFields(),
  ],
  toCreateBody: (values) =>
    Object.fromEntries(
      Object.entries({
        ...values,
        numbers: toNumbers(values.numbers),
        allowed_addresses: lines(values.allowed_addresses),
        channels: values.channels === '' ? '' : toCount(values.channels),
      }).filter(([, value]) => value !== ''),
    ),
  editFields: () => [
    ...settingFields(),
    passwordField('New password', 'Leave empty to keep the current password.'),
    ...routingFields(),
    { name: 'enabled', label: 'In use', type: 'select', options: onOff, required: true },
  ],
  toEditValues: (trunk) => ({
    kind: trunk.kind,
    domain: trunk.domain,
    transport: trunk.transport,
    username: trunk.username,
    auth_username: trunk.auth_username,
    password: '',
    numbers: fromNumbers(trunk.numbers),
    unknown_did: trunk.unknown_did,
    allowed_addresses: (trunk.allowed_addresses || []).join('\n'),
    outbound_proxy: trunk.outbound_proxy,
    caller_id_format: trunk.caller_id_format,
    identity: trunk.identity,
    channels: String(trunk.channels),
    enabled: String(trunk.enabled),
  }),
  toEditBody: ({ password, ...values }) => ({
    ...values,
    ...(password ? { password } : {}),
    numbers: toNumbers(values.numbers),
    allowed_addresses: lines(values.allowed_addresses),
    channels: values.channels === '' ? 0 : toCount(values.channels),
    enabled: values.enabled === 'true',
  }),
  describe: (trunk) => html`<dt>State</dt><dd><${TrunkState} status=${trunk.status} /></dd>
    <dt>Password</dt><dd>${trunk.password_set ? 'set' : 'none'}</dd>`,
};

const patternHint =
  'Digits, * # + match themselves; X any digit, N 2-9, Z 1-9, [1-5] a class; a trailing . one or more further digits, ! zero or more.';

const routeFields = () => [
  { name: 'pattern', label: 'Pattern', required: true, hint: patternHint },
  { name: 'trunks', label: 'Trunks', required: true, hint: 'Trunk names in the order they are tried, separated by commas.' },
  { name: 'position', label: 'Position', inputmode: 'numeric', hint: 'Routes are tried in ascending position.' },
  { name: 'strip', label: 'Digits to strip', inputmode: 'numeric', hint: 'Leading digits removed, such as an outside-line 0.' },
  { name: 'prepend', label: 'Prepend', hint: 'Digits put in front.' },
  { name: 'e164', label: 'Send in E.164', type: 'select', options: yesNo, required: true },
];

const toRouteBody = (values) =>
  Object.fromEntries(
    Object.entries({
      ...values,
      trunks: names(values.trunks),
      position: values.position === '' ? '' : toCount(values.position),
      strip: values.strip === '' ? '' : toCount(values.strip),
      e164: values.e164 === 'true',
    }).filter(([, value]) => value !== ''),
  );

export const routes = {
  title: 'Routes',
  singular: 'Route',
  path: '/routes',
  route: '/routes',
  key: 'name',
  intro: 'Where calls to outside numbers go: routes are tried from the top, and the first whose pattern matches sends the call out through its trunks.',
  empty: 'No routes yet: calls to outside numbers are refused.',
  columns: [
    { label: 'Position', key: 'position' },
    { label: 'Name', key: 'name' },
    { label: 'Pattern', render: (route) => html`<code>${route.pattern}</code>` },
    { label: 'Trunks', render: (route) => joined(route.trunks) },
    {
      label: 'Number sent',
      render: (route) =>
        [route.strip && `strip ${route.strip}`, route.prepend && `prepend ${route.prepend}`, route.e164 && 'E.164']
          .filter(Boolean)
          .join(', ') || 'as dialled',
    },
  ],
  createFields: () => [
    { name: 'name', label: 'Name', required: true, autocomplete: 'off', hint: 'e.g. "national".' },
    ...routeFields().map((field) =>
      field.name === 'position' ? { ...field, hint: 'Leave empty to add it last.' } : field,
    ),
  ],
  toCreateBody: toRouteBody,
  editFields: routeFields,
  toEditValues: (route) => ({
    pattern: route.pattern,
    trunks: route.trunks.join(', '),
    position: String(route.position),
    strip: String(route.strip),
    prepend: route.prepend,
    e164: String(route.e164),
  }),
  // PATCH keeps what is not sent; an emptied prepend must be sent to clear it.
  toEditBody: (values) => ({ ...toRouteBody(values), prepend: values.prepend }),
};
