import { TREATY_STATUSES, type StatusRow } from '../api/types.js';
import { formatDate, t, tMaybe, type MessageKey } from '../i18n/index.js';
import { selectRows, type HomeState, type SortKey } from '../state/home-state.js';
import { stateHref } from '../state/state-page-state.js';
import { h, replaceChildren, uid } from './dom.js';
import { statusBadge, statusLabel } from './status-badge.js';
import { dateCell, emptyValue } from './time.js';

export interface StatesTableView {
  element: HTMLElement;
  update(rows: readonly StatusRow[] | null, state: HomeState, shownDate: string | null): void;
}

export interface StatesTableEvents {
  onSearch(q: string): void;
  onStatus(status: string | null): void;
  onSort(key: SortKey): void;
}

const COLUMNS: { key: SortKey; label: MessageKey }[] = [
  { key: 'name', label: 'table.col.name' },
  { key: 'region', label: 'table.col.region' },
  { key: 'status', label: 'table.col.status' },
  { key: 'signatureDate', label: 'table.col.signature' },
  { key: 'depositDate', label: 'table.col.deposit' },
  { key: 'entryIntoForceDate', label: 'table.col.eif' },
];

/** The text alternative to the map: every State, searchable, filterable and sortable; each name links to its page. */
export function statesTable(events: StatesTableEvents): StatesTableView {
  const searchId = uid('state-search');
  const searchHintId = uid('state-search-hint');
  const statusId = uid('status-filter');
  const search = h('input', {
    id: searchId,
    type: 'search',
    name: 'q',
    autocomplete: 'off',
    spellcheck: 'false',
    placeholder: t('table.searchHint'),
    'aria-describedby': searchHintId,
  });
  search.addEventListener('input', () => events.onSearch(search.value));

  const statusSelect = h(
    'select',
    { id: statusId, name: 'status' },
    h('option', { value: '' }, t('table.statusFilter.all')),
    ...TREATY_STATUSES.map((status) => h('option', { value: status }, statusLabel(status))),
  );
  statusSelect.addEventListener('change', () => events.onStatus(statusSelect.value || null));

  const results = h('p', { class: 'results', role: 'status', 'aria-live': 'polite' });
  const caption = h('caption', { class: 'visually-hidden' });
  const headerCells = COLUMNS.map((column) => {
    const button = h(
      'button',
      { type: 'button', class: 'sort' },
      t(column.label),
      h('span', { class: 'sort-icon', 'aria-hidden': 'true' }),
    );
    button.addEventListener('click', () => events.onSort(column.key));
    return { key: column.key, cell: h('th', { scope: 'col', 'data-col': column.key }, button) };
  });
  const tbody = h('tbody');
  const table = h(
    'table',
    { class: 'states-table' },
    caption,
    h('thead', {}, h('tr', {}, ...headerCells.map((c) => c.cell))),
    tbody,
  );
  const scroller = h(
    'div',
    { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-label': t('table.scrollRegion') },
    table,
  );

  const element = h(
    'div',
    { class: 'states' },
    h(
      'div',
      { class: 'table-tools' },
      h(
        'div',
        { class: 'field' },
        h('label', { for: searchId }, t('table.search')),
        search,
        h('span', { id: searchHintId, class: 'visually-hidden' }, t('table.searchHint')),
      ),
      h('div', { class: 'field' }, h('label', { for: statusId }, t('table.statusFilter')), statusSelect),
    ),
    results,
    scroller,
  );

  return {
    element,
    update(rows, state, shownDate) {
      if (document.activeElement !== search) search.value = state.q;
      statusSelect.value = state.status ?? '';
      const date = state.asOf ?? shownDate;
      caption.textContent = date ? t('table.caption', { date: formatDate(date) }) : t('table.heading');
      for (const { key, cell } of headerCells) {
        if (key === state.sort.key)
          cell.setAttribute('aria-sort', state.sort.descending ? 'descending' : 'ascending');
        else cell.removeAttribute('aria-sort');
      }
      table.setAttribute('aria-busy', String(rows === null));
      if (rows === null) {
        results.textContent = t('loading');
        return;
      }
      const selected = selectRows(rows, state);
      results.textContent =
        selected.length === 0 && state.q
          ? t('table.noResults', { query: state.q })
          : t('table.results', { count: selected.length, total: rows.length });
      replaceChildren(tbody, ...selected.map((row) => tableRow(row, state.asOf)));
    },
  };
}

function tableRow(row: StatusRow, asOf: string | null): HTMLTableRowElement {
  const deposit = dateCell(row.depositDate);
  return h(
    'tr',
    { 'data-iso3': row.iso3 },
    h(
      'th',
      { scope: 'row' },
      h('a', { href: stateHref(row.iso3, asOf) }, row.name),
      ' ',
      h('span', { class: 'code' }, row.iso3),
    ),
    h('td', { class: 'region' }, row.m49Region ?? emptyValue()),
    h('td', {}, statusBadge(row.status)),
    h('td', { class: 'date' }, dateCell(row.signatureDate)),
    h(
      'td',
      { class: 'date' },
      deposit,
      row.depositDate && row.actionType
        ? h('span', { class: 'action' }, tMaybe(`action.${row.actionType}`, row.actionType))
        : null,
    ),
    h('td', { class: 'date' }, dateCell(row.entryIntoForceDate)),
  );
}
