// API tokens: create one with chosen scopes (shown once), list and revoke them.
import { html } from '../html.js';
import { formatTime } from '../format.js';
import { ResourceList } from '../components/resource_page.js';

// Scope names as the API knows them (src/api/caller.h), with what each opens.
const kScopes = [
  { value: 'directory:read', label: 'directory:read: users, extensions, devices, groups, registrations' },
  { value: 'directory:write', label: 'directory:write: change them' },
  { value: 'calls:read', label: 'calls:read: active calls and call records' },
  { value: 'calls:write', label: 'calls:write: hang up calls' },
  { value: 'contacts:read', label: 'contacts:read: personal contacts' },
  { value: 'contacts:write', label: 'contacts:write: change them' },
  { value: 'system:read', label: 'system:read: version, ports, certificates, health' },
  { value: 'trunks:read', label: 'trunks:read: SIP trunks with their state, outbound routes' },
  { value: 'trunks:write', label: 'trunks:write: change them' },
];

const tokens = {
  title: 'My API tokens',
  singular: 'Token',
  path: '/tokens',
  route: '/my/tokens',
  key: 'id',
  label: (token) => token.name,
  empty: 'No tokens yet.',
  editable: false,
  intro:
    'Scripts and integrations use a token instead of your password: send it as ' +
    '"Authorization: Bearer TOKEN". A token can do only what its scopes allow, and never ' +
    'more than you.',
  columns: [
    { label: 'Name', key: 'name' },
    {
      label: 'Scopes',
      render: (token) =>
        html`<ul class="plain">
          ${(token.scopes || []).map((scope) => html`<li><code>${scope}</code></li>`)}
        </ul>`,
    },
    { label: 'Created', render: (token) => formatTime(token.created_at) },
    { label: 'Last used', render: (token) => formatTime(token.last_used_at) },
  ],
  createFields: () => [
    { name: 'name', label: 'Name', required: true, hint: 'What uses it, e.g. "CRM".' },
    { name: 'scopes', label: 'Scopes', type: 'checkboxes', options: kScopes },
  ],
  toCreateBody: (values) => values,
  secret: { key: 'token', label: (token) => `Token ${token.name}` },
};

export const Tokens = () => html`<${ResourceList} kind=${tokens} />`;
