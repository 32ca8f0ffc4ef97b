// A list of one kind of record with create, edit and delete: users, extensions, devices...
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { getAll, remove, request, segment, ApiError } from '../api.js';
import { navigate } from '../router.js';
import { useLoad } from '../use_load.js';
import { Form, blankValues } from './form.js';
import { Table } from './table.js';
import { ErrorNotice, Loading, SecretOnce } from './notice.js';

// `kind`: {title, singular, path ("/users"), route ("/users"), key ("name"), columns,
// createFields, editFields, toCreateBody(values), toEditBody(values), toEditValues(item),
// secret: {key, label} shown once after create, filter(item), label(item), intro,
// empty (what an empty list says), editable (default true), aliases (request member -> form field, see Form),
// refreshSeconds (reload the list this often, for rows that change by themselves)}
export function ResourceList({ kind }) {
  const nameOf = (item) => (kind.label ? kind.label(item) : item[kind.key]);
  const { data, error, reload } = useLoad(() => getAll(kind.path), [kind.path]);
  useEffect(() => {
    if (!kind.refreshSeconds) return undefined;
    const timer = setInterval(reload, kind.refreshSeconds * 1000);
    return () => clearInterval(timer);
  }, [kind.refreshSeconds, reload]);
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState(null);
  const [message, setMessage] = useState('');
  const [failure, setFailure] = useState(null);

  const create = async (values) => {
    const created = (await request('POST', kind.path, { body: kind.toCreateBody(values) })).data;
    setCreating(false);
    setMessage(`${kind.singular} ${nameOf(created)} created.`);
    if (kind.secret && created[kind.secret.key]) setSecret({ item: created, value: created[kind.secret.key] });
    reload();
  };

  const destroy = async (item) => {
    if (!window.confirm(`Delete ${kind.singular.toLowerCase()} ${nameOf(item)}?`)) return;
    try {
      await remove(`${kind.path}/${segment(item[kind.key])}`);
      setMessage(`${kind.singular} ${nameOf(item)} deleted.`);
      setFailure(null);
      reload();
    } catch (err) {
      setFailure(err);
    }
  };

  const rows = data ? (kind.filter ? data.filter(kind.filter) : data) : [];
  const actions = {
    label: 'Actions',
    className: 'actions',
    render: (item) => html`<div class="row-actions">
      ${kind.editable !== false &&
      html`<a class="button" href=${`${kind.route}/${segment(item[kind.key])}`}
        aria-label=${`Edit ${nameOf(item)}`}>Edit</a>`}
      <button type="button" class="danger" onClick=${() => destroy(item)}
        aria-label=${`Delete ${nameOf(item)}`}>Delete</button>
    </div>`,
  };

  return html`<section aria-labelledby="page-title">
    <div class="page-head">
      <h1 id="page-title" tabindex="-1">${kind.title}</h1>
      ${!creating && html`<button type="button" class="primary" onClick=${() => setCreating(true)}>
        New ${kind.singular.toLowerCase()}</button>`}
    </div>
    ${kind.intro && html`<p class="intro">${kind.intro}</p>`}
    <p class="message" role="status">${message}</p>
    ${secret && html`<${SecretOnce} label=${kind.secret.label(secret.item)} value=${secret.value}
      onDone=${() => setSecret(null)} />`}
    ${creating && html`<section class="panel" aria-labelledby="create-title">
      <h2 id="create-title">New ${kind.singular.toLowerCase()}</h2>
      <${Form} fields=${kind.createFields()} initial=${blankValues(kind.createFields())}
        submitLabel=${`Create ${kind.singular.toLowerCase()}`} onSubmit=${create} aliases=${kind.aliases}
        onCancel=${() => setCreating(false)} />
    </section>`}
    <${ErrorNotice} error=${error || failure} />
    ${data === undefined && !error
      ? html`<${Loading} />`
      : html`<${Table} caption=${kind.title} hideCaption=${true} columns=${[...kind.columns, actions]}
          rows=${rows} rowKey=${(item) => item[kind.key]}
          empty=${kind.empty || `No ${kind.title.toLowerCase()} yet.`} />`}
  </section>`;
}

// One record's edit form: PATCH with If-Match; on 412 it reloads the record and says so.
export function ResourceEdit({ kind, id }) {
  const itemPath = `${kind.path}/${segment(id)}`;
  const { data, error, reload } = useLoad(() => request('GET', itemPath), [itemPath]);
  const [notice, setNotice] = useState('');
  const [secret, setSecret] = useState(null);
  const [version, setVersion] = useState(0);

  const save = async (values) => {
    try {
      const answer = await request('PATCH', itemPath, { body: kind.toEditBody(values), etag: data.etag });
      if (kind.secret && answer.data && answer.data[kind.secret.key]) {
        setSecret(answer.data[kind.secret.key]);
        setNotice('Saved.');
        await reload();
        setVersion(version + 1);
        return;
      }
      navigate(kind.route);
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 412) throw err;
      await reload();
      setVersion(version + 1);
      setNotice(
        'Someone else changed this record meanwhile. The form now shows the current version; ' +
          'make your change again.',
      );
    }
  };

  const destroy = async () => {
    const name = kind.label ? kind.label(data.data) : id;
    if (!window.confirm(`Delete ${kind.singular.toLowerCase()} ${name}?`)) return;
    try {
      await remove(itemPath, data.etag);
      navigate(kind.route);
    } catch (err) {
      if (err instanceof ApiError && err.status === 412) {
        await reload();
        setVersion(version + 1);
        setNotice('Someone else changed this record meanwhile; it has been reloaded.');
      } else {
        setNotice(err.message);
      }
    }
  };

  return html`<section aria-labelledby="page-title">
    <p class="breadcrumb"><a href=${kind.route}>${kind.title}</a></p>
    <h1 id="page-title" tabindex="-1">
      ${kind.singular} ${data && data.data && kind.label ? kind.label(data.data) : id}
    </h1>
    <p class="message" role="status">${notice}</p>
    ${secret && html`<${SecretOnce} label="New password" value=${secret} onDone=${() => setSecret(null)} />`}
    <${ErrorNotice} error=${error} />
    ${data === undefined && !error && html`<${Loading} />`}
    ${data &&
    html`${kind.describe && html`<dl class="facts">${kind.describe(data.data)}</dl>`}
      <${Form} key=${version} fields=${kind.editFields()} initial=${kind.toEditValues(data.data)}
        submitLabel="Save changes" onSubmit=${save} onCancel=${() => navigate(kind.route)} />
      <div class="danger-zone">
        <button type="button" class="danger" onClick=${destroy}>Delete ${kind.singular.toLowerCase()}</button>
      </div>`}
  </section>`;
}
