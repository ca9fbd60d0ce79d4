import {
  asApiError,
  fetchAll,
  fetchEntities,
  fetchRatesForYears,
  isMissingEndpoint,
  normaliseObligationRow,
  normaliseReport,
  type ComplianceRate,
  type Entity,
  type ObligationRow,
  type Report,
} from '../api/data.js';
import type { Meta } from '../api/types.js';
import { chartFigure, yearTickFormat } from '../components/chart.js';
import { dataActions } from '../components/data-actions.js';
import { h, replaceChildren, uid, type Child } from '../components/dom.js';
import { errorMessage } from '../components/error-box.js';
import { notice } from '../components/notice.js';
import { sourceNote } from '../components/source-note.js';
import { dataTable } from '../components/table.js';
import { termTip } from '../components/term.js';
import { emptyValue } from '../components/time.js';
import { formatNumber, formatPercent, t, type MessageKey } from '../i18n/index.js';
import type { MapState, WorldMap } from '../map/world-map.js';
import { navigate, setDocumentTitle, type Page } from '../router.js';
import {
  CALENDAR_STATUSES,
  byGroup,
  byYear,
  complianceHref,
  defaultYear,
  mapCategory,
  parseComplianceState,
  type ComplianceState,
  type MapCategory,
} from '../state/compliance-view.js';
import { stateHref } from '../state/state-page-state.js';

const CATEGORIES: MapCategory[] = ['received', 'not_received', 'pending', 'not_owed'];

interface Data {
  entities: Map<string, Entity>;
  obligations: ObligationRow[];
  obligationsMeta: Meta;
  /** Null: /v1/compliance/rates is not available yet. */
  rates: ComplianceRate[] | null;
  ratesMeta: Meta | null;
  /** Null: /v1/reports is not available yet. */
  reports: Report[] | null;
}

/** `/compliance`: who reported under ATT Art. 13, by year and region, as a chart, a map and tables. */
export function compliancePage(url: URL): Page {
  let state = parseComplianceState(url.search);
  let data: Data | null = null;
  let destroyed = false;
  const go = (next: ComplianceState) => navigate(complianceHref(next), { replace: true });

  const heading = h('h1', { tabindex: -1 }, t('compliance.title'));
  const errorSlot = h('div', { class: 'error-slot' });
  const noticeSlot = h('div');
  const yearId = uid('year');
  const yearSelect = h('select', { id: yearId, name: 'year' });
  yearSelect.addEventListener('change', () => go({ ...state, year: Number(yearSelect.value) || null }));
  const groupId = uid('group');
  const groupSelect = h(
    'select',
    { id: groupId, name: 'group' },
    h('option', { value: 'm49Region' }, t('compliance.group.m49Region')),
    h('option', { value: 'unRegionalGroup' }, t('compliance.group.unRegionalGroup')),
  );
  groupSelect.addEventListener('change', () =>
    go({ ...state, group: groupSelect.value as ComplianceState['group'] }),
  );

  const yearsSection = h(
    'section',
    { class: 'panel', 'aria-labelledby': 'cmp-years-h' },
    h('h2', { id: 'cmp-years-h' }, t('compliance.years.heading')),
  );
  const yearsSlot = h('div');
  yearsSection.append(yearsSlot);
  const groupHeading = h('h2', { id: 'cmp-group-h' });
  const groupSlot = h('div');
  const mapHeadingId = uid('cmp-map-h');
  const mapDescId = uid('cmp-map-desc');
  const mapHeading = h('h2', { id: mapHeadingId });
  const mapDesc = h('p', { id: mapDescId, class: 'map-desc' });
  const mapCanvas = h('div', { class: 'map-canvas' }, h('p', { class: 'map-status' }, t('map.loading')));
  const mapLegend = h('ul', { class: 'legend', 'aria-label': t('map.legend') });
  const mapActions = h('div');
  const source = h('div', { class: 'source-slot' });
  let worldMap: WorldMap | null = null;

  const element = h(
    'div',
    { class: 'page compliance', 'aria-busy': 'true' },
    h(
      'header',
      { class: 'page-header' },
      heading,
      h(
        'p',
        { class: 'lede' },
        t('compliance.lede'),
        ' ',
        h(
          'span',
          { class: 'with-tip' },
          t('term.private.short'),
          termTip(t('term.private.short'), 'term.private'),
        ),
      ),
    ),
    noticeSlot,
    h(
      'section',
      { class: 'controls', 'aria-label': t('compliance.controls') },
      h(
        'div',
        { class: 'filters' },
        h('div', { class: 'field' }, h('label', { for: yearId }, t('compliance.year')), yearSelect),
        h('div', { class: 'field' }, h('label', { for: groupId }, t('compliance.groupBy')), groupSelect),
      ),
    ),
    errorSlot,
    yearsSection,
    h(
      'div',
      { class: 'compliance-grid' },
      h('section', { class: 'panel', 'aria-labelledby': 'cmp-group-h' }, groupHeading, groupSlot),
      h(
        'section',
        { class: 'panel', 'aria-labelledby': mapHeadingId },
        mapHeading,
        h(
          'figure',
          { class: 'map-figure' },
          mapCanvas,
          h('figcaption', {}, mapDesc, mapLegend, h('p', { class: 'attribution' }, t('map.attribution'))),
        ),
        mapActions,
      ),
    ),
    source,
  );

  import('../map/world-map.js')
    .then(async (module) => {
      const assets = await module.loadMapAssets();
      if (destroyed) return;
      mapCanvas.replaceChildren();
      worldMap = module.createWorldMap(mapCanvas, assets, mapHeadingId, mapDescId);
      renderMap();
    })
    .catch(() => {
      if (!destroyed) replaceChildren(mapCanvas, h('p', { class: 'map-status' }, t('map.error')));
    });

  function year(): number | null {
    if (!data) return state.year;
    return state.year ?? defaultYear(data.obligations, data.rates ?? []);
  }

  function registryEmpty(): boolean {
    if (!data) return false;
    if (data.reports !== null) return data.reports.length === 0;
    return data.rates === null || data.rates.every((r) => (r.counts.reported ?? 0) === 0);
  }

  function renderNotice(): void {
    if (!data) return;
    const parts: Child[] = [];
    if (data.rates === null) parts.push(h('p', {}, h('strong', {}, t('compliance.notAvailable'))));
    if (registryEmpty()) parts.push(h('p', {}, t('compliance.registryEmpty')));
    replaceChildren(noticeSlot, parts.length ? notice('info', ...parts) : null);
  }

  function renderYears(): void {
    if (!data) return;
    const years = byYear(data.obligations);
    const chosen = year();
    replaceChildren(
      yearSelect,
      ...years.map((y) => h('option', { value: y.key, selected: Number(y.key) === chosen }, y.key)),
    );
    groupSelect.value = state.group;
    const rates = (data.rates ?? [])
      .filter((r) => r.kind === 'annual' && r.groupBy === 'all' && r.coveredYear !== null)
      .sort((a, b) => b.coveredYear! - a.coveredYear!);
    if (rates.length) {
      const rows = rates.map((r) => [
        String(r.coveredYear),
        formatNumber(r.counts.obliged ?? 0),
        formatNumber(r.counts.reported ?? 0),
        pct(r.reported?.percent ?? null),
        pct(r.onTime?.percent ?? null),
        pct(r.private?.percent ?? null),
        pct(r.anyFormPrivate?.percent ?? null),
      ]);
      const figure = chartFigure({
        title: t('compliance.years.chartTitle'),
        description: t('compliance.years.chartDesc'),
        table: dataTable({
          caption: t('compliance.years.caption'),
          columns: [
            { label: t('compliance.col.year') },
            { label: t('compliance.col.obliged'), numeric: true },
            { label: t('compliance.col.reported'), numeric: true },
            { label: t('compliance.col.reportedRate'), numeric: true },
            { label: t('compliance.col.onTimeRate'), numeric: true },
            { label: t('compliance.col.privateRate'), numeric: true },
            { label: t('compliance.col.anyPrivateRate'), numeric: true },
          ],
          rows,
        }),
        actions: dataActions({
          title: t('compliance.years.caption'),
          csv: {
            rows: [
              [
                'coveredYear',
                'obliged',
                'reported',
                'reportedPercent',
                'onTimePercent',
                'privatePercent',
                'anyFormPrivatePercent',
              ],
              ...rates.map((r) => [
                r.coveredYear,
                r.counts.obliged,
                r.counts.reported,
                r.reported?.percent,
                r.onTime?.percent,
                r.private?.percent,
                r.anyFormPrivate?.percent,
              ]),
            ],
          },
          meta: data.ratesMeta,
        }),
      });
      replaceChildren(yearsSlot, figure.element);
      const points = rates
        .filter((r) => r.reported?.percent !== null && r.reported !== null)
        .map((r) => ({ year: r.coveredYear!, percent: r.reported!.percent! }));
      figure.draw((Plot, width) =>
        Plot.plot({
          width,
          height: 220,
          marginLeft: 44,
          x: {
            label: null,
            tickFormat: yearTickFormat(
              points.map((p) => p.year),
              width,
            ),
            tickSize: 0,
          },
          y: { label: t('compliance.col.reportedRate'), domain: [0, 100], grid: true },
          marks: [Plot.barY(points, { x: 'year', y: 'percent', fill: 'var(--accent)' }), Plot.ruleY([0])],
        }),
      );
      return;
    }
    // No compliance endpoint: the calendar's counts of reports owed, per covered year.
    const table = dataTable({
      caption: t('compliance.owed.caption'),
      columns: [
        { label: t('compliance.col.year') },
        { label: t('compliance.col.obliged'), numeric: true },
        ...CALENDAR_STATUSES.map((s) => ({
          label: t(`obligation.status.${s}` as MessageKey),
          numeric: true,
        })),
      ],
      rows: years.map((y) => [
        y.key,
        formatNumber(y.obliged),
        ...CALENDAR_STATUSES.map((s) => formatNumber(y.byStatus[s] ?? 0)),
      ]),
    });
    const figure = chartFigure({
      title: t('compliance.owed.chartTitle'),
      description: t('compliance.owed.chartDesc'),
      table,
      actions: dataActions({
        title: t('compliance.owed.caption'),
        csv: {
          rows: [
            ['coveredYear', 'obliged', ...CALENDAR_STATUSES],
            ...years.map((y) => [y.key, y.obliged, ...CALENDAR_STATUSES.map((s) => y.byStatus[s] ?? 0)]),
          ],
        },
        meta: data.obligationsMeta,
      }),
    });
    replaceChildren(yearsSlot, figure.element);
    const points = [...years].reverse().map((y) => ({ year: Number(y.key), obliged: y.obliged }));
    figure.draw((Plot, width) =>
      Plot.plot({
        width,
        height: 220,
        marginLeft: 44,
        x: {
          label: null,
          tickFormat: yearTickFormat(
            points.map((p) => p.year),
            width,
          ),
          tickSize: 0,
        },
        y: { label: t('compliance.col.obliged'), grid: true },
        marks: [Plot.barY(points, { x: 'year', y: 'obliged', fill: 'var(--accent)' }), Plot.ruleY([0])],
      }),
    );
  }

  function renderGroups(): void {
    if (!data) return;
    const chosen = year();
    const groupName = t(`compliance.group.${state.group}` as MessageKey);
    groupHeading.textContent = chosen
      ? t('compliance.groups.heading', { group: groupName, year: String(chosen) })
      : groupName;
    if (chosen === null) {
      replaceChildren(groupSlot, h('p', {}, t('compliance.noYear')));
      return;
    }
    const rates = (data.rates ?? []).filter(
      (r) => r.kind === 'annual' && r.groupBy === state.group && r.coveredYear === chosen,
    );
    if (rates.length) {
      replaceChildren(
        groupSlot,
        dataTable({
          caption: groupHeading.textContent,
          columns: [
            { label: groupName },
            { label: t('compliance.col.obliged'), numeric: true },
            { label: t('compliance.col.reported'), numeric: true },
            { label: t('compliance.col.reportedRate'), numeric: true },
            { label: t('compliance.col.privateRate'), numeric: true },
          ],
          rows: rates.map((r) => [
            r.group,
            formatNumber(r.counts.obliged ?? 0),
            formatNumber(r.counts.reported ?? 0),
            pct(r.reported?.percent ?? null),
            pct(r.private?.percent ?? null),
          ]),
        }),
        dataActions({
          title: groupHeading.textContent,
          csv: {
            rows: [
              ['group', 'obliged', 'reported', 'reportedPercent', 'privatePercent'],
              ...rates.map((r) => [
                r.group,
                r.counts.obliged,
                r.counts.reported,
                r.reported?.percent,
                r.private?.percent,
              ]),
            ],
          },
          meta: data.ratesMeta,
        }),
      );
      return;
    }
    const groups = byGroup(data.obligations, chosen, data.entities, state.group);
    replaceChildren(
      groupSlot,
      dataTable({
        caption: groupHeading.textContent,
        columns: [
          { label: groupName },
          { label: t('compliance.col.obliged'), numeric: true },
          ...CALENDAR_STATUSES.map((s) => ({
            label: t(`obligation.status.${s}` as MessageKey),
            numeric: true,
          })),
        ],
        rows: groups.map((g) => [
          g.key,
          formatNumber(g.obliged),
          ...CALENDAR_STATUSES.map((s) => formatNumber(g.byStatus[s] ?? 0)),
        ]),
      }),
      dataActions({
        title: groupHeading.textContent,
        csv: {
          rows: [
            ['group', 'obliged', ...CALENDAR_STATUSES],
            ...groups.map((g) => [g.key, g.obliged, ...CALENDAR_STATUSES.map((s) => g.byStatus[s] ?? 0)]),
          ],
        },
        meta: data.obligationsMeta,
      }),
    );
  }

  function mapRows(): {
    iso3: string;
    name: string;
    m49: string | null;
    category: MapCategory;
    status: string | null;
  }[] {
    if (!data) return [];
    const chosen = year();
    const owed = new Map<string, string>();
    for (const row of data.obligations)
      if (row.kind === 'annual' && row.coveredYear === chosen) owed.set(row.iso3, row.status);
    const received = new Set(
      (data.reports ?? [])
        .filter((r) => r.coveredYear === chosen && r.kind !== 'initial')
        .map((r) => r.stateId),
    );
    return [...data.entities.values()]
      .filter((e) => e.kind === 'state' && e.iso3)
      .map((e) => {
        const status = owed.get(e.iso3!) ?? null;
        return {
          iso3: e.iso3!,
          name: e.name,
          m49: e.m49,
          category: mapCategory(status, received.has(e.iso3!)),
          status,
        };
      });
  }

  function renderMap(): void {
    const chosen = year();
    mapHeading.textContent = chosen
      ? t('compliance.map.heading', { year: String(chosen) })
      : t('compliance.map.headingNoYear');
    if (!data) return;
    const rows = mapRows();
    const counts = new Map<MapCategory, number>();
    for (const row of rows) counts.set(row.category, (counts.get(row.category) ?? 0) + 1);
    mapDesc.textContent = t(data.reports === null ? 'compliance.map.descCalendar' : 'compliance.map.desc', {
      year: String(chosen ?? ''),
    });
    replaceChildren(
      mapLegend,
      ...CATEGORIES.filter((c) => data!.reports !== null || c !== 'received').map((c) =>
        h(
          'li',
          { 'data-status': `cmp-${c}` },
          h('span', { class: 'swatch', 'aria-hidden': 'true' }),
          t('map.legendCount', { label: t(`compliance.cat.${c}` as MessageKey), count: counts.get(c) ?? 0 }),
        ),
      ),
    );
    worldMap?.update(
      rows
        .filter((r): r is typeof r & { m49: string } => r.m49 !== null)
        .map((r): MapState => ({
          m49: r.m49,
          name: r.name,
          status: `cmp-${r.category}`,
          href: stateHref(r.iso3, null),
          label: t('map.stateLabel', {
            name: r.name,
            status: t(`compliance.cat.${r.category}` as MessageKey),
          }),
          details: [t(`compliance.cat.${r.category}` as MessageKey)],
        })),
    );
    replaceChildren(
      mapActions,
      dataActions({
        title: mapHeading.textContent,
        csv: {
          rows: [
            ['iso3', 'name', 'coveredYear', 'calendarStatus', 'category'],
            ...rows.map((r) => [r.iso3, r.name, chosen, r.status, r.category]),
          ],
        },
        meta: data.obligationsMeta,
      }),
    );
  }

  function render(): void {
    setDocumentTitle(t('compliance.title'));
    renderNotice();
    renderYears();
    renderGroups();
    renderMap();
    if (data) replaceChildren(source, sourceNote(data.ratesMeta ?? data.obligationsMeta));
  }

  async function load(): Promise<void> {
    try {
      const optional = <T>(promise: Promise<T>): Promise<T | null> =>
        promise.catch((err: unknown) => {
          if (isMissingEndpoint(err)) return null;
          throw err;
        });
      const [entities, obligations, reports] = await Promise.all([
        fetchEntities(),
        fetchAll('/v1/reporting/obligations', {}, normaliseObligationRow),
        optional(fetchAll('/v1/reports', {}, normaliseReport)),
      ]);
      if (destroyed) return;
      // Rates are asked for one covered year at a time: every year that owes annual reports.
      const years = byYear(obligations.rows).map((y) => Number(y.key));
      const rates = await optional(fetchRatesForYears(years, {}));
      if (destroyed) return;
      data = {
        entities,
        obligations: obligations.rows,
        obligationsMeta: obligations.meta,
        rates: rates?.rows ?? null,
        ratesMeta: rates?.meta ?? null,
        reports: reports?.rows ?? null,
      };
      errorSlot.replaceChildren();
      render();
      element.setAttribute('aria-busy', 'false');
    } catch (err) {
      if (destroyed) return;
      element.setAttribute('aria-busy', 'false');
      replaceChildren(
        errorSlot,
        errorMessage(asApiError(err), () => void load()),
      );
    }
  }

  render();
  void load();

  return {
    element,
    update(next) {
      state = parseComplianceState(next.search);
      render();
      return true;
    },
    destroy() {
      destroyed = true;
      worldMap?.destroy();
    },
  };
}

function pct(value: number | null): Child {
  return value === null ? emptyValue() : formatPercent(value, 1);
}
