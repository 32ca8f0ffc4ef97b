// Messages: loading, failures, and secrets shown once (generated passwords, API tokens).
import { useState } from 'preact/hooks';
import { html } from '../html.js';

export const Loading = () => html`<p class="loading" role="status">Loading…</p>`;

export const ErrorNotice = ({ error }) =>
  error ? html`<p class="form-error" role="alert">${error.message || String(error)}</p>` : null;

// A value the server will never show again, with a copy button.
export function SecretOnce({ label, value, onDone }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };
  return html`<section class="secret" role="status" aria-labelledby="secret-title">
    <h3 id="secret-title">${label}</h3>
    <p>Copy it now: Starling keeps only a hash and will not show it again.</p>
    <p><code class="secret-value" data-secret>${value}</code></p>
    <div class="buttons">
      <button type="button" onClick=${copy}>${copied ? 'Copied' : 'Copy'}</button>
      <button type="button" onClick=${onDone}>Done</button>
    </div>
  </section>`;
}
