// A user's own devices (SIP accounts): whether each is registered now; add, rename, delete.
import { useCallback } from 'preact/hooks';
import { html } from '../html.js';
import { getAll } from '../api.js';
import { useEvents } from '../events.js';
import { useLoad } from '../use_load.js';
import { ResourceEdit, ResourceList } from '../components/resource_page.js';
import { devices } from './directory.js';

// The admin's device kind, narrowed to the caller's own devices; the owner is implied.
function myDevices(me, registrations) {
  const registered = (device) => registrations.filter((row) => row.device === device.name);
  return {
    ...devices,
    title: 'My devices',
    empty: 'You have no devices yet.',
    route: '/my/devices',
    intro: 'Your phones and apps. Each signs in with its own SIP user name and password.',
    filter: (device) => device.user === me,
    columns: [
      ...devices.columns.filter((column) => column.label !== 'User'),
      {
        label: 'Status',
        render: (device) => {
          const rows = registered(device);
          const phones = rows.map((row) => row.user_agent).filter(Boolean).join(', ');
          return rows.length
            ? html`<span class="badge ok">Registered</span> ${phones}`
            : html`<span class="badge">Not registered</span>`;
        },
      },
    ],
    createFields: () => devices.createFields().filter((field) => field.name !== 'user'),
  };
}

export function MyDevices({ session }) {
  const registrations = useLoad(() => getAll('/registrations'), []);
  useEvents(
    useCallback(
      (event) => {
        if (event.type === 'registration' || event.type === 'reconnected') registrations.reload();
      },
      [registrations.reload],
    ),
  );
  return html`<${ResourceList} kind=${myDevices(session.user.name, registrations.data || [])} />`;
}

export const MyDeviceEdit = ({ id, session }) =>
  html`<${ResourceEdit} kind=${myDevices(session.user.name, [])} id=${id} />`;
