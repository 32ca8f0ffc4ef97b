// The application shell: session, navigation, and which page each path shows.
import { useEffect, useState } from 'preact/hooks';
import { html } from './html.js';
import { request, setCsrfToken, setUnauthorizedHandler } from './api.js';
import { startEvents, stopEvents } from './events.js';
import { followLinks, match, navigate, usePath } from './router.js';
import { Loading } from './components/notice.js';
import { ResourceEdit, ResourceList } from './components/resource_page.js';
import { devices, extensions, groups, users } from './pages/directory.js';
import { routes, trunks } from './pages/trunks.js';
import { Dashboard } from './pages/dashboard.js';
import { CallHistory } from './pages/call_history.js';
import { MyDeviceEdit, MyDevices } from './pages/my_devices.js';
import { ContactEdit, Contacts } from './pages/contacts.js';
import { Tokens } from './pages/tokens.js';
import { System } from './pages/system.js';
import { Login } from './pages/login.js';

const directoryPages = (kind) => [
  { path: kind.route, title: kind.title, admin: true, view: () => html`<${ResourceList} kind=${kind} />` },
  ...(kind.editable === false
    ? []
    : [
        {
          path: `${kind.route}/:id`,
          title: kind.title,
          admin: true,
          view: ({ id }) => html`<${ResourceEdit} kind=${kind} id=${id} />`,
        },
      ]),
];

// `nav`: shown in the menu; `admin`: administrators only.
const kPages = [
  { path: '/', title: 'Dashboard', nav: true, view: ({ session }) => html`<${Dashboard} session=${session} />` },
  ...[users, extensions, devices, groups, trunks, routes].flatMap(directoryPages),
  { path: '/system', title: 'System', admin: true, view: () => html`<${System} />` },
  { path: '/my/calls', title: 'Calls', view: ({ session }) => html`<${CallHistory} session=${session} />` },
  { path: '/my/devices', title: 'My devices', view: ({ session }) => html`<${MyDevices} session=${session} />` },
  {
    path: '/my/devices/:id',
    title: 'My devices',
    view: ({ id, session }) => html`<${MyDeviceEdit} id=${id} session=${session} />`,
  },
  { path: '/my/contacts', title: 'My contacts', view: () => html`<${Contacts} />` },
  { path: '/my/contacts/:id', title: 'My contacts', view: ({ id }) => html`<${ContactEdit} id=${id} />` },
  { path: '/my/tokens', title: 'My API tokens', view: () => html`<${Tokens} />` },
];

const kAdminMenu = ['/', '/users', '/extensions', '/devices', '/groups', '/trunks', '/routes', '/my/calls', '/system'];
const kUserMenu = ['/', '/my/calls', '/my/devices'];
const kOwnMenu = ['/my/contacts', '/my/tokens'];
const titleOf = (path) => kPages.find((page) => page.path === path).title;

function find(path) {
  for (const page of kPages) {
    const params = match(page.path, path);
    if (params) return { page, params };
  }
  return null;
}

function Menu({ path, session, onLogout }) {
  const [open, setOpen] = useState(false);
  useEffect(() => setOpen(false), [path]);
  const admin = session.user.role === 'admin';
  const link = (to) => {
    const current = to === '/' ? path === '/' : path === to || path.startsWith(`${to}/`);
    return html`<li><a href=${to} aria-current=${current ? 'page' : undefined}>${titleOf(to)}</a></li>`;
  };
  return html`<header class="top">
    <a class="brand" href="/"><img src="/icon.svg" alt="" width="24" height="24" /> Starling</a>
    <button type="button" class="menu-toggle" aria-expanded=${open} aria-controls="menu"
      onClick=${() => setOpen(!open)}>Menu</button>
    <nav id="menu" class=${open ? 'open' : ''} aria-label="Main">
      <ul>${(admin ? kAdminMenu : kUserMenu).map(link)}</ul>
      <ul aria-label="Yours">${kOwnMenu.map(link)}</ul>
      <div class="who">
        <span><span class="visually-hidden">Logged in as </span>${session.user.display_name || session.user.name}
          ${admin && html` <span class="badge">admin</span>`}</span>
        <button type="button" onClick=${onLogout}>Log out</button>
      </div>
    </nav>
  </header>`;
}

export function App() {
  const path = usePath();
  const [session, setSession] = useState(undefined); // undefined: not known yet; null: none

  const begin = (data) => {
    setCsrfToken(data.csrf_token);
    setSession(data);
    startEvents();
  };
  const end = () => {
    setCsrfToken('');
    stopEvents();
    setSession(null);
  };

  useEffect(() => {
    setUnauthorizedHandler(end);
    request('GET', '/session').then(({ data }) => begin(data), end);
  }, []);

  const found = find(path);
  const title = session ? (found ? found.page.title : 'Not found') : 'Log in';
  const loggedIn = session === undefined ? undefined : Boolean(session);
  useEffect(() => {
    document.title = `${title} · Starling`;
    // Screen readers hear the new page; keyboard users continue from its heading.
    const heading = document.getElementById('page-title');
    if (heading && loggedIn !== undefined) heading.focus({ preventScroll: true });
  }, [path, loggedIn]);

  if (session === undefined) return html`<${Loading} />`;
  if (session === null) {
    return html`<${Login}
      onLogin=${(data) => {
        begin(data);
        if (path === '/login') navigate('/', { replace: true });
      }} />`;
  }

  const logout = async () => {
    try {
      await request('DELETE', '/session');
    } finally {
      end();
    }
  };
  const admin = session.user.role === 'admin';
  let content;
  if (!found) content = html`<h1 id="page-title" tabindex="-1">Not found</h1><p>There is no page at ${path}.</p>`;
  else if (found.page.admin && !admin)
    content = html`<h1 id="page-title" tabindex="-1">Not allowed</h1><p>This page is for administrators.</p>`;
  else content = found.page.view({ ...found.params, session });

  return html`<div class="shell" onClick=${followLinks}>
    <a class="skip" href="#main">Skip to content</a>
    <${Menu} path=${path} session=${session} onLogout=${logout} />
    <main id="main" key=${path}>${content}</main>
  </div>`;
}
