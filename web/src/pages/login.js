// The login page: name and password for a session cookie and the CSRF token.
import { html } from '../html.js';
import { ApiError, request } from '../api.js';
import { Form } from '../components/form.js';

const fields = [
  { name: 'name', label: 'User name', required: true, autocomplete: 'username' },
  { name: 'password', label: 'Password', type: 'password', required: true, autocomplete: 'current-password' },
];

export function Login({ onLogin }) {
  const submit = async (values) => {
    try {
      onLogin((await request('POST', '/session', { body: values })).data);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401)
        throw new ApiError(401, { detail: 'Wrong user name or password.' });
      if (error instanceof ApiError && error.status === 429)
        throw new ApiError(429, {
          detail: `Too many failed attempts. Try again in ${error.retryAfter || 60} seconds.`,
        });
      throw error;
    }
  };
  return html`<main id="main" class="login">
    <h1 id="page-title" tabindex="-1"><img src="/icon.svg" alt="" width="32" height="32" /> Starling</h1>
    <section class="panel" aria-label="Log in">
      <${Form} fields=${fields} initial=${{ name: '', password: '' }} submitLabel="Log in" onSubmit=${submit} />
    </section>
  </main>`;
}
