// Personal contacts (create, edit, delete, vCard) and the company address book.
import { html } from '../html.js';
import { getAll, kApiBase } from '../api.js';
import { joined } from '../format.js';
import { useLoad } from '../use_load.js';
import { ResourceEdit, ResourceList } from '../components/resource_page.js';
import { Table } from '../components/table.js';
import { ErrorNotice, Loading } from '../components/notice.js';

const kNumberTypes = ['work', 'home', 'mobile', 'fax', 'pager', 'other'];

// "mobile +49 170 1234" per line <-> [{type: "mobile", number: "+49 170 1234"}].
function parseNumbers(text) {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [first, ...rest] = line.split(/\s+/);
      const type = first.toLowerCase().replace(/:$/, '');
      return kNumberTypes.includes(type) && rest.length
        ? { type, number: rest.join(' ') }
        : { type: 'work', number: line };
    });
}
const formatNumbers = (numbers) => (numbers || []).map((entry) => `${entry.type} ${entry.number}`).join('\n');

const fields = () => [
  { name: 'name', label: 'Name', required: true },
  { name: 'company', label: 'Company' },
  {
    name: 'numbers',
    label: 'Numbers',
    type: 'textarea',
    hint: `One per line, optionally after its type (${kNumberTypes.join(', ')}): "mobile +49 170 1234567".`,
  },
  { name: 'email', label: 'E-mail', type: 'email' },
  { name: 'notes', label: 'Notes', type: 'textarea' },
];
const toBody = (values) => ({ ...values, numbers: parseNumbers(values.numbers) });

export const contacts = {
  title: 'My contacts',
  singular: 'Contact',
  path: '/contacts',
  route: '/my/contacts',
  key: 'id',
  label: (contact) => contact.name,
  empty: 'No contacts yet.',
  intro: 'Only you see your contacts. Phones and apps can read them as vCards.',
  columns: [
    { label: 'Name', key: 'name' },
    { label: 'Company', render: (contact) => contact.company || '—' },
    { label: 'Numbers', render: (contact) => joined((contact.numbers || []).map((entry) => entry.number)) },
    { label: 'E-mail', render: (contact) => contact.email || '—' },
  ],
  createFields: fields,
  editFields: fields,
  toCreateBody: toBody,
  toEditBody: toBody,
  toEditValues: (contact) => ({
    name: contact.name || '',
    company: contact.company || '',
    numbers: formatNumbers(contact.numbers),
    email: contact.email || '',
    notes: contact.notes || '',
  }),
};

function AddressBook() {
  const { data, error } = useLoad(() => getAll('/address-book'), []);
  const columns = [
    { label: 'Name', render: (entry) => entry.display_name || entry.name },
    { label: 'Extensions', render: (entry) => joined(entry.extensions) },
  ];
  return html`<section class="panel" aria-labelledby="address-book-title">
    <h2 id="address-book-title">Company address book</h2>
    <p><a class="button" href=${`${kApiBase}/address-book.vcf`} download="address-book.vcf">Download as vCard</a></p>
    <${ErrorNotice} error=${error} />
    ${data
      ? html`<${Table} caption="Colleagues" hideCaption=${true} columns=${columns} rows=${data}
          rowKey=${(entry) => entry.name} empty="Nobody has an extension yet." />`
      : html`<${Loading} />`}
  </section>`;
}

export function Contacts() {
  return html`<${ResourceList} kind=${contacts} />
    <p>
      <a class="button" href=${`${kApiBase}/contacts.vcf`} download="contacts.vcf">
        Download my contacts as vCard
      </a>
    </p>
    <${AddressBook} />`;
}

export const ContactEdit = ({ id }) => html`<${ResourceEdit} kind=${contacts} id=${id} />`;
