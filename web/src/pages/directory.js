// Users, extensions, devices and groups as the admin pages edit them (see ResourceList).
import { html } from '../html.js';
import { formatTime, joined } from '../format.js';

const roles = [
  { value: 'user', label: 'User' },
  { value: 'admin', label: 'Administrator' },
];
// How far a user may call out (docs/trunks.md); emergency numbers always work.
const callClasses = [
  { value: 'internal', label: 'Internal: extensions only' },
  { value: 'local', label: 'Local' },
  { value: 'national', label: 'National' },
  { value: 'international', label: 'International' },
];
const callClassField = {
  name: 'call_class',
  label: 'Outside calls',
  type: 'select',
  options: callClasses,
  required: true,
  default: 'national',
  hint: 'How far this user may call through the trunks. Emergency numbers always work.',
};
const targetKinds = [
  { value: 'user', label: 'A user' },
  { value: 'group', label: 'A group' },
];

// Optional fields left empty are not sent, so the server applies its defaults.
const withoutEmpty = (body) =>
  Object.fromEntries(Object.entries(body).filter(([, value]) => value !== '' && value !== undefined));

const nameList = (text) =>
  text
    .split(/[\s,]+/)
    .map((name) => name.trim())
    .filter(Boolean);

const nameField = (label, hint) => ({ name: 'name', label, required: true, hint, autocomplete: 'off' });
const displayName = { name: 'display_name', label: 'Display name', required: true };

export const users = {
  title: 'Users',
  singular: 'User',
  path: '/users',
  route: '/users',
  key: 'name',
  intro: 'People who log in here and own extensions, devices and contacts.',
  columns: [
    { label: 'Name', key: 'name' },
    { label: 'Display name', key: 'display_name' },
    { label: 'Role', key: 'role' },
    { label: 'Extensions', render: (user) => joined(user.extensions) },
    { label: 'Outside calls', key: 'call_class' },
    { label: 'Created', render: (user) => formatTime(user.created_at) },
  ],
  createFields: () => [
    nameField('Login name', 'Lower-case letters, digits, ".", "_" and "-".'),
    displayName,
    { name: 'role', label: 'Role', type: 'select', options: roles, required: true },
    { name: 'extension', label: 'Extension', inputmode: 'numeric', hint: 'A number to call this user on.' },
    callClassField,
    {
      name: 'password',
      label: 'Password',
      type: 'password',
      autocomplete: 'new-password',
      hint: 'Leave empty and Starling generates one and shows it once.',
    },
  ],
  toCreateBody: (values) => withoutEmpty(values),
  secret: { key: 'password', label: (user) => `Password for ${user.name}` },
  editFields: () => [
    displayName,
    { name: 'role', label: 'Role', type: 'select', options: roles, required: true },
    callClassField,
    {
      name: 'password',
      label: 'New password',
      type: 'password',
      autocomplete: 'new-password',
      hint: 'Leave empty to keep the current password.',
    },
  ],
  toEditValues: (user) => ({
    display_name: user.display_name,
    role: user.role,
    call_class: user.call_class,
    password: '',
  }),
  toEditBody: (values) => withoutEmpty(values),
  describe: (user) => html`<dt>Extensions</dt><dd>${joined(user.extensions)}</dd>
    <dt>Created</dt><dd>${formatTime(user.created_at)}</dd>`,
};

export const extensions = {
  title: 'Extensions',
  singular: 'Extension',
  path: '/extensions',
  route: '/extensions',
  key: 'number',
  intro: 'Numbers that ring a user (all their devices) or a group.',
  columns: [
    { label: 'Number', key: 'number' },
    { label: 'Rings', render: (extension) => (extension.group ? 'Group' : 'User') },
    { label: 'Name', render: (extension) => extension.user || extension.group },
  ],
  createFields: () => [
    { name: 'number', label: 'Number', required: true, inputmode: 'numeric' },
    { name: 'target_kind', label: 'Rings', type: 'select', options: targetKinds, required: true },
    { name: 'target', label: 'User or group name', required: true },
  ],
  toCreateBody: (values) => ({ number: values.number, [values.target_kind]: values.target }),
  aliases: { user: 'target', group: 'target' },
  // The API has no PATCH for extensions: moving a number is delete and create.
  editable: false,
};

export const devices = {
  title: 'Devices',
  singular: 'Device',
  path: '/devices',
  route: '/devices',
  key: 'name',
  intro: 'SIP accounts: each phone, softphone or app registers with its own name and password.',
  columns: [
    { label: 'Name', key: 'name' },
    { label: 'User', key: 'user' },
    { label: 'Description', render: (device) => device.description || '—' },
    { label: 'Created', render: (device) => formatTime(device.created_at) },
  ],
  createFields: () => [
    { name: 'user', label: 'User', required: true, hint: 'The login name of the owner.' },
    { name: 'description', label: 'Description', hint: 'e.g. "desk phone, room 12".' },
    { name: 'name', label: 'SIP user name', hint: 'Leave empty to name it after the user.' },
    {
      name: 'password',
      label: 'SIP password',
      type: 'password',
      autocomplete: 'new-password',
      hint: 'Leave empty and Starling generates a strong one and shows it once.',
    },
  ],
  toCreateBody: (values) => withoutEmpty(values),
  secret: { key: 'password', label: (device) => `SIP password for device ${device.name}` },
  editFields: () => [
    { name: 'description', label: 'Description' },
    {
      name: 'password',
      label: 'New SIP password',
      type: 'password',
      autocomplete: 'new-password',
      hint: 'Leave empty to keep the current password.',
    },
  ],
  toEditValues: (device) => ({ description: device.description || '', password: '' }),
  toEditBody: (values) => ({ description: values.description, ...withoutEmpty({ password: values.password }) }),
  describe: (device) => html`<dt>User</dt><dd>${device.user}</dd>
    <dt>Created</dt><dd>${formatTime(device.created_at)}</dd>`,
};

export const groups = {
  title: 'Groups',
  singular: 'Group',
  path: '/groups',
  route: '/groups',
  key: 'name',
  intro: 'Users rung together through one extension.',
  columns: [
    { label: 'Name', key: 'name' },
    { label: 'Display name', key: 'display_name' },
    { label: 'Members', render: (group) => joined(group.members) },
  ],
  createFields: () => [
    nameField('Name'),
    displayName,
    { name: 'members', label: 'Members', hint: 'Login names, separated by commas.' },
  ],
  toCreateBody: (values) => ({ ...values, members: nameList(values.members) }),
  editFields: () => [displayName, { name: 'members', label: 'Members', hint: 'Login names, separated by commas.' }],
  toEditValues: (group) => ({ display_name: group.display_name, members: (group.members || []).join(', ') }),
  toEditBody: (values) => ({ ...values, members: nameList(values.members) }),
};
