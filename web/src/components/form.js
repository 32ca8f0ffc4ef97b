// Forms from a list of field descriptions; a problem's "field" shows beside that field.
import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { ApiError } from '../api.js';

let nextId = 0;

// A problem's "field" is a JSON pointer ("/name", "/numbers/0/number") or a query parameter;
// the form field is its first member.
const memberOf = (field) => field.replace(/^\//, '').split('/')[0];

// One labelled control. `field`: {name, label, type, options, required, hint, autocomplete,
// default (the value a new record starts with)}.
function Control({ field, value, error, onInput, idPrefix }) {
  const id = `${idPrefix}-${field.name}`;
  const describedBy = [field.hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ');
  const common = {
    id,
    name: field.name,
    required: field.required,
    'aria-invalid': error ? 'true' : undefined,
    'aria-describedby': describedBy || undefined,
  };
  let control;
  if (field.type === 'select') {
    control = html`<select ...${common} value=${value} onChange=${(e) => onInput(e.target.value)}>
      ${field.options.map((option) => html`<option value=${option.value}>${option.label}</option>`)}
    </select>`;
  } else if (field.type === 'textarea') {
    control = html`<textarea ...${common} rows="3" value=${value}
      onInput=${(e) => onInput(e.target.value)} />`;
  } else if (field.type === 'checkboxes') {
    return html`<fieldset class="field" aria-describedby=${describedBy || undefined}>
      <legend>${field.label}</legend>
      ${field.options.map(
        (option) => html`<label class="check">
          <input type="checkbox" name=${field.name} value=${option.value}
            checked=${value.includes(option.value)}
            onChange=${(e) =>
              onInput(
                e.target.checked ? [...value, option.value] : value.filter((v) => v !== option.value),
              )} />
          ${option.label}
        </label>`,
      )}
      ${field.hint && html`<p class="hint" id=${`${id}-hint`}>${field.hint}</p>`}
      ${error && html`<p class="field-error" id=${`${id}-error`}>${error}</p>`}
    </fieldset>`;
  } else {
    control = html`<input ...${common} type=${field.type || 'text'} value=${value}
      autocomplete=${field.autocomplete || 'off'} inputmode=${field.inputmode}
      onInput=${(e) => onInput(e.target.value)} />`;
  }
  return html`<div class="field">
    <label for=${id}>${field.label}${field.required ? '' : html` <span class="optional">(optional)</span>`}</label>
    ${control}
    ${field.hint && html`<p class="hint" id=${`${id}-hint`}>${field.hint}</p>`}
    ${error && html`<p class="field-error" id=${`${id}-error`}>${error}</p>`}
  </div>`;
}

// A form over `fields`; `onSubmit(values)` may throw ApiError, whose field (if it names one
// of ours) gets the message, else the message goes above the buttons.
// `aliases` maps a request member to the form field that fills it ({user: 'target'}).
export function Form({ fields, initial, submitLabel, onSubmit, onCancel, aliases = {}, children }) {
  const [idPrefix] = useState(() => `f${++nextId}`);
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState({});
  const [general, setGeneral] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (event) => {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    setGeneral('');
    try {
      await onSubmit(values);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      const member = memberOf(error.field);
      const name = aliases[member] || member;
      if (name && fields.some((field) => field.name === name)) {
        setErrors({ [name]: error.message });
        const input = document.getElementById(`${idPrefix}-${name}`);
        if (input) input.focus();
      } else {
        setGeneral(error.message);
      }
    } finally {
      setBusy(false);
    }
  };

  return html`<form class="form" onSubmit=${submit} noValidate>
    ${fields.map(
      (field) => html`<${Control} key=${field.name} field=${field} value=${values[field.name]}
        error=${errors[field.name]} idPrefix=${idPrefix}
        onInput=${(value) => setValues({ ...values, [field.name]: value })} />`,
    )}
    ${children}
    ${general && html`<p class="form-error" role="alert">${general}</p>`}
    <div class="buttons">
      <button type="submit" class="primary" disabled=${busy}>${submitLabel}</button>
      ${onCancel && html`<button type="button" onClick=${onCancel}>Cancel</button>`}
    </div>
  </form>`;
}

// Empty values for `fields`: the field's `default` if it has one, else '' or [] for
// checkboxes, the first option for selects.
export function blankValues(fields) {
  const blank = (field) =>
    field.type === 'checkboxes' ? [] : field.type === 'select' ? field.options[0].value : '';
  return Object.fromEntries(fields.map((field) => [field.name, field.default ?? blank(field)]));
}
