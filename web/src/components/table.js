// A data table with a caption, scrolling sideways on narrow screens instead of overflowing.
import { html } from '../html.js';

// columns: [{label, render(row) | key, className}]
export function Table({ caption, columns, rows, rowKey, empty, hideCaption }) {
  if (!rows.length) return html`<p class="empty">${empty}</p>`;
  return html`<div class="table-wrap" role="region" aria-label=${caption} tabindex="0">
    <table>
      <caption class=${hideCaption ? 'visually-hidden' : ''}>${caption}</caption>
      <thead>
        <tr>${columns.map((column) => html`<th scope="col" class=${column.className}>${column.label}</th>`)}</tr>
      </thead>
      <tbody>
        ${rows.map(
          (row) => html`<tr key=${rowKey(row)}>
            ${columns.map(
              (column) => html`<td class=${column.className} data-label=${column.label}>
                <span class="cell">${column.render ? column.render(row) : (row[column.key] ?? '—')}</span>
              </td>`,
            )}
          </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}
