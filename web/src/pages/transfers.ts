import {
  asApiError,
  csvHref,
  fetchEntities,
  fetchList,
  isAbort,
  m49Of,
  nameOf,
  normaliseTransfer,
  type Entity,
  type FacetValue,
  type ListAnswer,
  type Transfer,
} from '../api/data.js';
import { chartFigure, yearTickFormat } from '../components/chart.js';
import { dataActions } from '../components/data-actions.js';
import { h, replaceChildren, uid, type Child } from '../components/dom.js';
import { errorMessage } from '../components/error-box.js';
import { notice } from '../components/notice.js';
import { dataTable } from '../components/table.js';
import { termTip } from '../components/term.js';
import { sourceLabel, tivText } from '../components/values.js';
import { emptyValue } from '../components/time.js';
import { formatDecimal, formatNumber, t, tMaybe, type MessageKey } from '../i18n/index.js';
import type { Flow, FlowMap } from '../map/flow-map.js';
import type { MapAssets } from '../map/world-map.js';
import { navigate, setDocumentTitle, type Page } from '../router.js';
import { stateHref } from '../state/state-page-state.js';
import {
  MAX_YEAR,
  MIN_YEAR,
  PAGE_SIZE,
  TOP_CHOICES,
  hasFilters,
  parseTransfersState,
  transfersFilters,
  transfersHref,
  withFilters,
  type TransfersState,
} from '../state/transfers-state.js';

type FacetField = 'exporterId' | 'importerId' | 'year' | 'source' | 'categoryCode';
const FACETS: FacetField[] = ['exporterId', 'importerId', 'year', 'source', 'categoryCode'];
const STATE_KEY: Record<Exclude<FacetField, 'year'>, keyof TransfersState> = {
  exporterId: 'exporter',
  importerId: 'importer',
  source: 'source',
  categoryCode: 'category',
};
/** Without an exporter or importer chosen, flows are counted for this many of the largest exporters. */
const FLOW_EXPORTERS = 8;

interface Aggregates {
  filterKey: string;
  /** Options of each filter: its facet with its own filter lifted, so that a reader can switch values. */
  options: Partial<Record<FacetField, FacetValue[]>>;
  flows: { exporterId: string; importerId: string; count: number }[];
  flowBasis: 'exact' | 'topExporters';
  /** Records per year, complete (the API lists at most 50 values per facet, so long ranges are asked in parts). */
  years: FacetValue[];
}

/** A facet answer holds at most this many values. */
const FACET_LIMIT = 50;
const YEAR_CHUNK = 45;

/** `/transfers`: every transfer record, filtered by facets, as a chart over years, a flow map and a paged table. */
export function transfersPage(url: URL): Page {
  let state = parseTransfersState(url.search);
  let entities: Map<string, Entity> | null = null;
  let list: ListAnswer<Transfer> | null = null;
  let aggregates: Aggregates | null = null;
  let controller: AbortController | null = null;
  let destroyed = false;

  const go = (next: TransfersState, replace = false) => navigate(transfersHref(next), { replace });

  const heading = h('h1', { tabindex: -1 }, t('transfers.title'));
  const status = h('p', { class: 'results-summary', role: 'status', 'aria-live': 'polite' });
  const chips = h('div', { class: 'filter-chips' });
  const errorSlot = h('div', { class: 'error-slot' });

  // --- filters ---
  const selects = new Map<FacetField, HTMLSelectElement>();
  const fields: HTMLElement[] = [];
  for (const field of ['exporterId', 'importerId', 'source', 'categoryCode'] as const) {
    const id = uid(`f-${field}`);
    const select = h('select', { id, name: STATE_KEY[field] });
    select.addEventListener('change', () =>
      go(withFilters(state, { [STATE_KEY[field]]: select.value || null })),
    );
    selects.set(field, select);
    fields.push(
      h(
        'div',
        { class: 'field' },
        h('label', { for: id }, t(`transfers.filter.${field}` as MessageKey)),
        select,
      ),
    );
  }
  const yearInputs = (['from', 'to'] as const).map((key) => {
    const id = uid(`f-${key}`);
    const input = h('input', {
      id,
      name: key,
      type: 'number',
      inputmode: 'numeric',
      min: MIN_YEAR,
      max: MAX_YEAR,
      step: 1,
      placeholder: key === 'from' ? '1950' : String(new Date().getUTCFullYear()),
    });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const commit = () => {
      const value = input.value.trim();
      const n = /^\d{4}$/.test(value) ? Number(value) : null;
      if (value !== '' && (n === null || n < MIN_YEAR || n > MAX_YEAR)) {
        input.setAttribute('aria-invalid', 'true');
        return;
      }
      input.removeAttribute('aria-invalid');
      if (n !== state[key]) go(withFilters(state, { [key]: n }), true);
    };
    input.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(commit, 600);
    });
    input.addEventListener('change', () => {
      clearTimeout(timer);
      commit();
    });
    return {
      key,
      input,
      field: h(
        'div',
        { class: 'field field-year' },
        h('label', { for: id }, t(`transfers.filter.${key}` as MessageKey)),
        input,
      ),
    };
  });
  const yearGroup = h(
    'fieldset',
    { class: 'year-range' },
    h('legend', {}, t('transfers.filter.years')),
    ...yearInputs.map((y) => y.field),
  );
  const clear = h('a', { href: '/transfers', class: 'clear-filters' }, t('transfers.filter.clear'));
  const form = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': t('transfers.filter.label') },
    ...fields.slice(0, 2),
    yearGroup,
    ...fields.slice(2),
    h('div', { class: 'field field-clear' }, clear),
  );
  form.addEventListener('submit', (event) => event.preventDefault());

  // --- chart over years ---
  const chartSection = h(
    'section',
    { class: 'panel', 'aria-labelledby': 'tr-chart-h' },
    h('h2', { id: 'tr-chart-h' }, t('transfers.chart.heading')),
  );
  const chartSlot = h('div');
  chartSection.append(chartSlot);

  // --- flow map ---
  const flowHeadingId = uid('flow-h');
  const flowDescId = uid('flow-desc');
  const flowDesc = h('p', { id: flowDescId, class: 'map-desc' });
  const flowCanvas = h('div', { class: 'map-canvas' }, h('p', { class: 'map-status' }, t('map.loading')));
  const flowTable = h('div');
  const topId = uid('top');
  const topSelect = h(
    'select',
    { id: topId, name: 'top' },
    ...TOP_CHOICES.map((n) => h('option', { value: String(n) }, formatNumber(n))),
  );
  topSelect.addEventListener('change', () => go({ ...state, top: Number(topSelect.value) }, true));
  const flowSection = h(
    'section',
    { class: 'panel', 'aria-labelledby': flowHeadingId },
    h('h2', { id: flowHeadingId }, t('transfers.flows.heading')),
    h(
      'div',
      { class: 'field field-inline' },
      h('label', { for: topId }, t('transfers.flows.top')),
      topSelect,
    ),
    h(
      'figure',
      { class: 'map-figure' },
      flowCanvas,
      h('figcaption', {}, flowDesc, h('p', { class: 'attribution' }, t('map.attribution'))),
    ),
    flowTable,
  );
  let flowMap: FlowMap | null = null;
  let assets: MapAssets | null = null;
  import('../map/flow-map.js')
    .then(async (module) => {
      assets = await module.loadMapAssets();
      if (destroyed) return;
      flowCanvas.replaceChildren();
      flowMap = module.createFlowMap(flowCanvas, assets, flowHeadingId, flowDescId);
      renderFlows();
    })
    .catch(() => {
      if (!destroyed) replaceChildren(flowCanvas, h('p', { class: 'map-status' }, t('map.error')));
    });

  // --- table ---
  const sortId = uid('sort');
  const sortSelect = h(
    'select',
    { id: sortId, name: 'sort' },
    ...(
      ['', '-year', 'year', '-tivDelivered', '-value', '-numberOfItems', 'exporterId', 'importerId'] as const
    ).map((value) => h('option', { value }, t(`transfers.sort.${value || 'default'}` as MessageKey))),
  );
  sortSelect.addEventListener('change', () =>
    go(withFilters(state, { sort: sortSelect.value || null }), true),
  );
  const tableSlot = h('div', { class: 'transfers-table-slot', 'aria-busy': 'true' });
  const pager = h('nav', { class: 'pager', 'aria-label': t('transfers.pager.label') });
  const tableActions = h('div');
  const tableSection = h(
    'section',
    { id: 'transfer-rows', class: 'panel', 'aria-labelledby': 'tr-table-h', tabindex: -1 },
    h('h2', { id: 'tr-table-h' }, t('transfers.table.heading')),
    h(
      'div',
      { class: 'table-tools' },
      h('div', { class: 'field' }, h('label', { for: sortId }, t('transfers.sort.label')), sortSelect),
    ),
    tableSlot,
    pager,
    tableActions,
  );

  const element = h(
    'div',
    { class: 'page transfers' },
    h(
      'header',
      { class: 'page-header' },
      heading,
      h(
        'p',
        { class: 'lede' },
        t('transfers.lede'),
        ' ',
        h('span', { class: 'with-tip' }, t('term.tiv.short'), termTip(t('term.tiv.short'), 'term.tiv')),
        ' ',
        h(
          'span',
          { class: 'with-tip' },
          t('term.missing.short'),
          termTip(t('term.missing.short'), 'term.missing'),
        ),
      ),
    ),
    h('section', { class: 'controls', 'aria-label': t('transfers.filter.label') }, form),
    status,
    chips,
    errorSlot,
    h('div', { class: 'transfers-grid' }, chartSection, flowSection),
    tableSection,
  );

  // --- loading ---
  const filterKey = (s: TransfersState) => JSON.stringify(transfersFilters(s));

  async function loadAggregates(main: ListAnswer<Transfer>, signal: AbortSignal): Promise<Aggregates> {
    const options: Aggregates['options'] = {};
    const lifted = (['exporterId', 'importerId', 'source', 'categoryCode'] as const).filter(
      (f) => state[STATE_KEY[f]] !== null,
    );
    await Promise.all(
      lifted.map(async (field) => {
        const answer = await fetchList(
          '/v1/transfers',
          { ...transfersFilters(state, STATE_KEY[field]), _size: 1, _facet: field },
          () => null,
          signal,
        );
        options[field] = answer.facets[field] ?? [];
      }),
    );
    for (const field of FACETS) options[field] ??= main.facets[field] ?? [];

    let flows: Aggregates['flows'] = [];
    let flowBasis: Aggregates['flowBasis'] = 'exact';
    if (state.exporter && state.importer) {
      flows =
        main.count > 0 ? [{ exporterId: state.exporter, importerId: state.importer, count: main.count }] : [];
    } else if (state.exporter) {
      flows = (main.facets.importerId ?? [])
        .filter((f) => f.value)
        .map((f) => ({ exporterId: state.exporter!, importerId: f.value!, count: f.count }));
    } else if (state.importer) {
      flows = (main.facets.exporterId ?? [])
        .filter((f) => f.value)
        .map((f) => ({ exporterId: f.value!, importerId: state.importer!, count: f.count }));
    } else {
      flowBasis = 'topExporters';
      const exporters = (main.facets.exporterId ?? [])
        .filter((f) => f.value && f.value !== 'UNKNOWN')
        .slice(0, FLOW_EXPORTERS);
      const answers = await Promise.all(
        exporters.map((f) =>
          fetchList(
            '/v1/transfers',
            { ...transfersFilters(state), exporterId: f.value, _size: 1, _facet: 'importerId' },
            () => null,
            signal,
          ),
        ),
      );
      answers.forEach((answer, index) => {
        for (const facet of answer.facets.importerId ?? [])
          if (facet.value)
            flows.push({ exporterId: exporters[index]!.value!, importerId: facet.value, count: facet.count });
      });
    }
    flows.sort(
      (a, b) =>
        b.count - a.count ||
        a.exporterId.localeCompare(b.exporterId) ||
        a.importerId.localeCompare(b.importerId),
    );

    let years = main.facets.year ?? [];
    if (years.length >= FACET_LIMIT) {
      const lo = state.from ?? MIN_YEAR;
      const hi = state.to ?? new Date().getUTCFullYear() + 1;
      const chunks: [number, number][] = [];
      for (let a = lo; a <= hi; a += YEAR_CHUNK) chunks.push([a, Math.min(hi, a + YEAR_CHUNK - 1)]);
      const parts = await Promise.all(
        chunks.map(([a, b]) =>
          fetchList(
            '/v1/transfers',
            { ...transfersFilters(state), from: a, to: b, _size: 1, _facet: 'year' },
            () => null,
            signal,
          ),
        ),
      );
      years = [
        ...parts.flatMap((p) => (p.facets.year ?? []).filter((f) => f.value !== null)),
        ...years.filter((f) => f.value === null),
      ];
    }
    return { filterKey: filterKey(state), options, flows, flowBasis, years };
  }

  async function load(): Promise<void> {
    controller?.abort();
    const mine = new AbortController();
    controller = mine;
    tableSlot.setAttribute('aria-busy', 'true');
    const sameFilters = aggregates?.filterKey === filterKey(state);
    try {
      const [ents, main] = await Promise.all([
        fetchEntities().catch(() => null),
        fetchList(
          '/v1/transfers',
          {
            ...transfersFilters(state),
            _sort: state.sort,
            _size: PAGE_SIZE,
            _next: state.cursor,
            _facet: FACETS.join(','),
          },
          normaliseTransfer,
          mine.signal,
        ),
      ]);
      if (mine.signal.aborted || destroyed) return;
      entities = ents;
      list = main;
      errorSlot.replaceChildren();
      if (!sameFilters) aggregates = null;
      render();
      if (!sameFilters) {
        const computed = await loadAggregates(main, mine.signal);
        if (mine.signal.aborted || destroyed) return;
        aggregates = computed;
        render();
      }
    } catch (err) {
      if (isAbort(err) || mine.signal.aborted || destroyed) return;
      tableSlot.setAttribute('aria-busy', 'false');
      replaceChildren(
        errorSlot,
        errorMessage(asApiError(err), () => void load()),
      );
    }
  }

  // --- rendering ---
  function label(field: FacetField, value: string): string {
    if (field === 'exporterId' || field === 'importerId') return nameOf(entities, value);
    if (field === 'source') return sourceLabel(value, entities);
    if (field === 'categoryCode') return tMaybe(`category.${value}`, value);
    return value;
  }

  function renderFilters(): void {
    for (const [field, select] of selects) {
      const key = STATE_KEY[field as Exclude<FacetField, 'year'>];
      const chosen = state[key] as string | null;
      const values = (aggregates?.options[field] ?? list?.facets[field] ?? []).filter(
        (f) => f.value !== null,
      );
      const options = values
        .map((f) => ({ value: f.value!, text: `${label(field, f.value!)} (${formatNumber(f.count)})` }))
        .sort((a, b) => a.text.localeCompare(b.text));
      if (chosen && !options.some((o) => o.value === chosen))
        options.unshift({ value: chosen, text: label(field, chosen) });
      replaceChildren(
        select,
        h('option', { value: '' }, t(`transfers.filter.${field}.all` as MessageKey)),
        ...options.map((o) => h('option', { value: o.value, selected: o.value === chosen }, o.text)),
      );
      select.value = chosen ?? '';
    }
    for (const { key, input } of yearInputs) {
      if (document.activeElement !== input) input.value = state[key] === null ? '' : String(state[key]);
    }
    sortSelect.value = state.sort ?? '';
    topSelect.value = String(state.top);
    clear.hidden = !hasFilters(state);
  }

  function selectionText(): string {
    const parts: string[] = [];
    if (state.exporter) parts.push(t('transfers.sel.from', { name: nameOf(entities, state.exporter) }));
    if (state.importer) parts.push(t('transfers.sel.to', { name: nameOf(entities, state.importer) }));
    if (state.from !== null && state.to !== null)
      parts.push(t('transfers.sel.years', { from: String(state.from), to: String(state.to) }));
    else if (state.from !== null) parts.push(t('transfers.sel.since', { from: String(state.from) }));
    else if (state.to !== null) parts.push(t('transfers.sel.until', { to: String(state.to) }));
    if (state.source) parts.push(label('source', state.source));
    if (state.category) parts.push(label('categoryCode', state.category));
    return parts.join(', ');
  }

  function title(): string {
    const selection = selectionText();
    return selection ? t('transfers.titleWith', { selection }) : t('transfers.title');
  }

  function renderChips(): void {
    const items: Child[] = [];
    const chip = (text: string, change: Partial<TransfersState>) =>
      h(
        'li',
        {},
        h(
          'a',
          { href: transfersHref(withFilters(state, change)), class: 'chip' },
          text,
          h('span', { 'aria-hidden': 'true' }, ' ×'),
          h('span', { class: 'visually-hidden' }, ` (${t('transfers.chip.remove')})`),
        ),
      );
    if (state.exporter)
      items.push(
        chip(`${t('transfers.filter.exporterId')}: ${nameOf(entities, state.exporter)}`, { exporter: null }),
      );
    if (state.importer)
      items.push(
        chip(`${t('transfers.filter.importerId')}: ${nameOf(entities, state.importer)}`, { importer: null }),
      );
    if (state.from !== null) items.push(chip(`${t('transfers.filter.from')}: ${state.from}`, { from: null }));
    if (state.to !== null) items.push(chip(`${t('transfers.filter.to')}: ${state.to}`, { to: null }));
    if (state.source)
      items.push(chip(`${t('transfers.filter.source')}: ${label('source', state.source)}`, { source: null }));
    if (state.category)
      items.push(
        chip(`${t('transfers.filter.categoryCode')}: ${label('categoryCode', state.category)}`, {
          category: null,
        }),
      );
    replaceChildren(
      chips,
      items.length ? h('ul', { 'aria-label': t('transfers.chip.label') }, ...items) : null,
    );
  }

  /** The sources in the selection, to cite besides SIPRI (national reports name their file). */
  function sourceLines(): string[] {
    const facet = aggregates?.options.source ?? list?.facets.source ?? [];
    const ids = state.source
      ? [state.source]
      : facet.filter((f) => f.value && f.count > 0).map((f) => f.value!);
    return ids.filter((id) => id !== 'sipri').map((id) => sourceLabel(id, entities));
  }

  function hasSipri(): boolean {
    if (state.source) return state.source === 'sipri';
    const facet = aggregates?.options.source ?? list?.facets.source ?? [];
    return facet.some((f) => f.value === 'sipri' && f.count > 0);
  }

  function renderChart(): void {
    if (!list) return;
    const facet = aggregates?.years ?? list.facets.year ?? [];
    const years = facet
      .filter((f) => f.value !== null)
      .map((f) => ({ year: Number(f.value), count: f.count }));
    years.sort((a, b) => a.year - b.year);
    const noYear = facet.find((f) => f.value === null)?.count ?? 0;
    const rows = [
      [t('transfers.chart.col.year'), t('transfers.chart.col.records')],
      ...years.map((y) => [y.year, y.count]),
    ];
    const table = dataTable({
      caption: t('transfers.chart.caption', { selection: selectionText() || t('transfers.sel.all') }),
      columns: [
        { label: t('transfers.chart.col.year') },
        { label: t('transfers.chart.col.records'), numeric: true },
      ],
      rows: years.map((y) => [String(y.year), formatNumber(y.count)]),
    });
    const notes: string[] = [];
    if (noYear > 0) notes.push(t('transfers.chart.noYear', { count: noYear }));
    if (!aggregates && facet.length >= FACET_LIMIT) notes.push(t('transfers.chart.truncated'));
    const figure = chartFigure({
      title: t('transfers.chart.heading'),
      description: [
        years.length
          ? t('transfers.chart.desc', {
              first: String(years[0]!.year),
              last: String(years[years.length - 1]!.year),
              peak: String(years.reduce((a, b) => (b.count > a.count ? b : a)).year),
            })
          : t('transfers.chart.empty'),
        ...notes,
      ].join(' '),
      table,
      actions: dataActions({
        title: `${t('transfers.chart.heading')}: ${title()}`,
        csv: { rows },
        meta: list.meta,
        sources: sourceLines(),
        sipri: hasSipri(),
      }),
    });
    replaceChildren(chartSlot, figure.element);
    if (years.length === 0) {
      figure.message(t('transfers.chart.empty'));
      return;
    }
    const max = Math.max(...years.map((y) => y.count));
    figure.draw((Plot, width) =>
      Plot.plot({
        width,
        height: 240,
        marginLeft: 48,
        // One band per year from the first to the last, so that years without a record show as gaps.
        x: {
          type: 'band',
          interval: 1,
          label: null,
          tickFormat: yearTickFormat(
            years.map((y) => y.year),
            width,
          ),
          tickSize: 0,
        },
        y: { label: t('transfers.chart.col.records'), grid: true, ticks: Math.min(5, max), tickFormat: 'd' },
        marks: [
          Plot.barY(years, { x: 'year', y: 'count', fill: 'var(--accent)', inset: 0.5 }),
          Plot.ruleY([0]),
        ],
      }),
    );
  }

  function flowList(): { exporterId: string; importerId: string; count: number }[] {
    return (aggregates?.flows ?? []).slice(0, state.top);
  }

  function renderFlows(): void {
    if (!aggregates || !entities) {
      flowDesc.textContent = t('loading');
      return;
    }
    const flows = flowList();
    const unplaced: string[] = [];
    const drawable: Flow[] = [];
    for (const flow of flows) {
      const from = m49Of(entities, flow.exporterId);
      const to = m49Of(entities, flow.importerId);
      const a = from && assets ? assets.centroids[from] : null;
      const b = to && assets ? assets.centroids[to] : null;
      const text = t('transfers.flows.line', {
        from: nameOf(entities, flow.exporterId),
        to: nameOf(entities, flow.importerId),
        count: flow.count,
      });
      if (!a || !b || from === to) {
        if (assets) unplaced.push(text);
        continue;
      }
      drawable.push({
        id: `${flow.exporterId}>${flow.importerId}`,
        from: a,
        to: b,
        weight: flow.count,
        href: transfersHref(withFilters(state, { exporter: flow.exporterId, importer: flow.importerId })),
        label: text,
      });
    }
    flowMap?.update(drawable);
    const basis =
      aggregates.flowBasis === 'topExporters'
        ? t('transfers.flows.basisTop', { count: FLOW_EXPORTERS })
        : t('transfers.flows.basisExact');
    flowDesc.textContent = [
      flows.length ? t('transfers.flows.desc', { count: flows.length }) : t('transfers.flows.none'),
      basis,
      unplaced.length ? t('transfers.flows.unplaced', { count: unplaced.length }) : '',
    ]
      .filter(Boolean)
      .join(' ');
    const caption = t('transfers.flows.caption', { selection: selectionText() || t('transfers.sel.all') });
    replaceChildren(
      flowTable,
      flows.length
        ? dataTable({
            caption,
            columns: [
              { label: t('transfers.flows.col.flow') },
              { label: t('transfers.chart.col.records'), numeric: true },
            ],
            rows: flows.map((f) => [
              h(
                'a',
                {
                  href: transfersHref(withFilters(state, { exporter: f.exporterId, importer: f.importerId })),
                },
                t('transfers.flows.pair', {
                  from: nameOf(entities, f.exporterId),
                  to: nameOf(entities, f.importerId),
                }),
              ),
              formatNumber(f.count),
            ]),
            className: 'data-table flows-table',
          })
        : null,
      dataActions({
        title: `${t('transfers.flows.heading')}: ${title()}`,
        csv: {
          rows: [
            ['exporterId', 'exporter', 'importerId', 'importer', 'records'],
            ...flows.map((f) => [
              f.exporterId,
              nameOf(entities, f.exporterId),
              f.importerId,
              nameOf(entities, f.importerId),
              f.count,
            ]),
          ],
        },
        meta: list?.meta ?? null,
        sources: sourceLines(),
        sipri: hasSipri(),
      }),
    );
  }

  function renderTable(): void {
    if (!list) return;
    tableSlot.setAttribute('aria-busy', 'false');
    if (list.rows.length === 0) {
      replaceChildren(tableSlot, notice('info', h('p', {}, t('transfers.table.empty'))));
    } else {
      replaceChildren(
        tableSlot,
        dataTable({
          caption: t('transfers.table.caption', { selection: selectionText() || t('transfers.sel.all') }),
          className: 'data-table transfers-table',
          columns: [
            { label: t('transfers.col.year') },
            { label: t('transfers.col.exporter') },
            { label: t('transfers.col.importer') },
            { label: t('transfers.col.weapon') },
            { label: t('transfers.col.items'), numeric: true },
            {
              label: h(
                'span',
                { class: 'with-tip' },
                t('transfers.col.tiv'),
                termTip(t('transfers.col.tiv'), 'term.tiv'),
              ),
              numeric: true,
            },
            { label: t('transfers.col.value'), numeric: true },
            { label: t('transfers.col.source') },
          ],
          rows: list.rows.map((row) => transferCells(row, entities)),
          rowAttrs: (index) => ({ 'data-id': list!.rows[index]!.id }),
        }),
      );
    }
    const first = state.start + 1;
    const last = state.start + list.rows.length;
    const range = list.count === 0 ? '' : t('transfers.pager.range', { first, last, total: list.count });
    replaceChildren(
      pager,
      h('p', {}, range),
      state.cursor
        ? h(
            'a',
            { href: transfersHref({ ...state, cursor: null, start: 0 }), 'data-page': 'first' },
            t('transfers.pager.first'),
          )
        : null,
      list.next
        ? h(
            'a',
            {
              href: `${transfersHref({ ...state, cursor: list.next, start: state.start + list.rows.length })}#transfer-rows`,
              rel: 'next',
              'data-page': 'next',
            },
            t('transfers.pager.next'),
          )
        : null,
    );
    const capped = list.count > 1000;
    replaceChildren(
      tableActions,
      dataActions({
        title: title(),
        csv: {
          href: csvHref('/v1/transfers', { ...transfersFilters(state), _sort: state.sort, _size: 'max' }),
        },
        meta: list.meta,
        sources: sourceLines(),
        sipri: hasSipri(),
        note: capped
          ? t('transfers.csv.capped', { count: list.count })
          : t('transfers.csv.all', { count: list.count }),
      }),
    );
  }

  function render(): void {
    const docTitle = title();
    setDocumentTitle(docTitle);
    renderFilters();
    renderChips();
    if (list) {
      const selection = selectionText();
      status.textContent = selection
        ? t('transfers.summaryWith', { count: list.count, selection })
        : t('transfers.summary', { count: list.count });
    } else status.textContent = t('loading');
    renderTable();
    renderChart();
    renderFlows();
  }

  render();
  void load();

  return {
    element,
    update(next) {
      const parsed = parseTransfersState(next.search);
      const onlyTop = JSON.stringify({ ...parsed, top: 0 }) === JSON.stringify({ ...state, top: 0 });
      state = parsed;
      if (onlyTop) render();
      else void load();
      if (next.hash === '#transfer-rows') tableSection.focus();
      return true;
    },
    destroy() {
      destroyed = true;
      controller?.abort();
      flowMap?.destroy();
    },
  };
}

function partyCell(id: string | null, entities: Map<string, Entity> | null): Child {
  if (!id) return emptyValue();
  const entity = entities?.get(id);
  const name = nameOf(entities, id);
  if (entity?.kind === 'state' && entity.iso3) return h('a', { href: stateHref(entity.iso3, null) }, name);
  return name;
}

function missing(reason: string | null): Child {
  const none = emptyValue();
  if (reason)
    none.append(
      h('span', { class: 'missing-reason' }, tMaybe(`missing.${reason}`, reason.replace(/_/g, ' '))),
    );
  return none;
}

function yearsText(row: Transfer): Child {
  if (row.year !== null) return String(row.year);
  const years = [...new Set(row.deliveryYears)].sort((a, b) => a - b);
  if (years.length === 1) return String(years[0]);
  if (years.length > 1) return `${years[0]}–${years[years.length - 1]}`;
  if (row.orderYear !== null) return t('transfers.orderedIn', { year: String(row.orderYear) });
  return missing(row.yearMissingReason);
}

function transferCells(row: Transfer, entities: Map<string, Entity> | null): Child[] {
  const tiv = tivText(row.tivDelivered);
  const value =
    row.value !== null && Number.isFinite(Number(row.value))
      ? `${formatDecimal(Number(row.value), 2)}${row.currency ? ` ${row.currency}` : ''}`
      : row.value;
  const estimated = (...fields: string[]) => fields.some((f) => row.uncertain.includes(f));
  const approx = (content: Child, ...fields: string[]): Child =>
    estimated(...fields)
      ? h(
          'span',
          { class: 'estimate' },
          h('span', { 'aria-hidden': 'true' }, '≈ '),
          h('span', { class: 'visually-hidden' }, `${t('transfers.estimate')}: `),
          content,
        )
      : content;
  return [
    h('span', { class: 'nowrap' }, approx(yearsText(row), 'year', 'deliveryYears', 'deliveryYear')),
    partyCell(row.exporterId, entities),
    partyCell(row.importerId, entities),
    h(
      'span',
      { class: 'weapon' },
      row.designation ? h('strong', {}, row.designation) : null,
      row.designation && row.description ? ' ' : null,
      row.description ? h('span', { class: 'desc' }, row.description) : null,
      row.categoryCode ? h('span', { class: 'code' }, ` ${row.categoryCode}`) : null,
    ),
    row.numberOfItems !== null
      ? approx(formatNumber(row.numberOfItems), 'numberOfItems', 'numberDelivered')
      : missing(row.numberOfItemsMissingReason),
    tiv !== null
      ? approx(tiv, 'tivDelivered')
      : row.source === 'sipri'
        ? missing(null)
        : h('span', { class: 'muted' }, t('value.notApplicable')),
    value ?? missing(row.valueMissingReason),
    h(
      'span',
      { class: 'provenance' },
      sourceLabel(row.source, entities),
      row.provenance.fileName
        ? h(
            'span',
            { class: 'code' },
            ` ${row.provenance.fileName}${row.provenance.row !== null ? `:${row.provenance.row}` : ''}`,
          )
        : null,
    ),
  ];
}
