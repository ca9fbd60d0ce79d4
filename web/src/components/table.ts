import { h, uid, type Child } from './dom.js';

export interface Column {
  label: Child;
  /** Right-aligned figures. */
  numeric?: boolean;
  className?: string;
}

/**
 * A plain data table in a sideways-scrolling region: a caption (visually hidden when `hideCaption`), column headers,
 * and rows whose first cell is the row header.
 */
export function dataTable(options: {
  caption: string;
  columns: readonly Column[];
  rows: readonly (readonly Child[])[];
  className?: string;
  hideCaption?: boolean;
  rowAttrs?: (index: number) => Record<string, string>;
}): HTMLElement {
  const captionId = uid('cap');
  const table = h(
    'table',
    { class: options.className ?? 'data-table' },
    h(
      'caption',
      { id: captionId, class: options.hideCaption === false ? 'table-caption' : 'visually-hidden' },
      options.caption,
    ),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...options.columns.map((column) =>
          h(
            'th',
            {
              scope: 'col',
              class: [column.numeric ? 'num' : '', column.className ?? ''].join(' ').trim() || null,
            },
            column.label,
          ),
        ),
      ),
    ),
    h(
      'tbody',
      {},
      ...options.rows.map((cells, index) =>
        h(
          'tr',
          options.rowAttrs?.(index) ?? {},
          ...cells.map((content, column) => {
            const spec = options.columns[column];
            const cls = [spec?.numeric ? 'num' : '', spec?.className ?? ''].join(' ').trim() || null;
            return column === 0
              ? h('th', { scope: 'row', class: cls }, content)
              : h('td', { class: cls }, content);
          }),
        ),
      ),
    ),
  );
  return h(
    'div',
    { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-labelledby': captionId },
    table,
  );
}
