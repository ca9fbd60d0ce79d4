import { ApiError, fetchTreatyStatus } from '../api/client.js';
import type { StatusRow, TreatyStatusResponse } from '../api/types.js';
import { countsView } from '../components/counts.js';
import { dateControl } from '../components/date-control.js';
import { h, replaceChildren, uid } from '../components/dom.js';
import { legendView } from '../components/legend.js';
import { sourceNote } from '../components/source-note.js';
import { statesTable } from '../components/states-table.js';
import { statusLabel } from '../components/status-badge.js';
import { errorMessage } from '../components/error-box.js';
import { dataActions } from '../components/data-actions.js';
import { csvHref } from '../api/data.js';
import { coverageView, keyFigures } from './home-figures.js';
import { formatDate, formatNumber, t } from '../i18n/index.js';
import type { MapState, WorldMap } from '../map/world-map.js';
import { navigate, setDocumentTitle, type Page } from '../router.js';
import { homeHref, parseHomeState, type HomeState, type SortKey } from '../state/home-state.js';
import { stateHref } from '../state/state-page-state.js';
import { recordAsOf } from '../state/treaty-view.js';

/** `/`: the treaty's status on a date, as counts, a map and a table. */
export function homePage(url: URL): Page {
  let state: HomeState = parseHomeState(url.search);
  let data: TreatyStatusResponse | null = null;
  let rows: StatusRow[] | null = null;
  let request = 0;
  let destroyed = false;

  // The URL is the source of truth: navigating calls `update` below, which reads the new state from it.
  const go = (next: HomeState, replace: boolean) => navigate(homeHref(next), { replace });

  const heading = h('h1', { tabindex: -1 }, t('home.title'));
  const announcer = h('p', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
  const dates = dateControl((asOf) => go({ ...state, asOf }, false));
  const counts = countsView();
  const countsHeadingId = uid('counts-h');
  const countsHeading = h('h2', { id: countsHeadingId });
  const error = h('div', { class: 'error-slot' });

  // Map: its code and topology load after the page is shown.
  const mapHeadingId = uid('map-h');
  const mapDescId = uid('map-desc');
  const mapDesc = h('p', { id: mapDescId, class: 'map-desc' });
  const mapCanvas = h('div', { class: 'map-canvas' }, h('p', { class: 'map-status' }, t('map.loading')));
  const legend = legendView();
  let worldMap: WorldMap | null = null;

  const table = statesTable({
    onSearch: (q) => go({ ...state, q }, true),
    onStatus: (status) => go({ ...state, status: status as HomeState['status'] }, true),
    onSort: (key: SortKey) =>
      go(
        { ...state, sort: { key, descending: state.sort.key === key ? !state.sort.descending : false } },
        true,
      ),
  });
  const source = h('div', { class: 'source-slot' });
  const figures = keyFigures();
  const coverage = coverageView();
  const tableActions = h('div');

  const element = h(
    'div',
    { class: 'page home' },
    h('header', { class: 'page-header' }, heading, h('p', { class: 'lede' }, t('home.lede'))),
    h('section', { class: 'controls', 'aria-label': t('date.section') }, dates.element, announcer),
    error,
    h(
      'section',
      { class: 'counts-section', 'aria-labelledby': countsHeadingId },
      countsHeading,
      counts.element,
    ),
    h(
      'section',
      { class: 'map-section', 'aria-labelledby': mapHeadingId },
      h('h2', { id: mapHeadingId }, t('map.heading')),
      h('a', { class: 'skip-map', href: '#states' }, t('map.skip')),
      h(
        'div',
        { class: 'map-and-figures' },
        h(
          'figure',
          { class: 'map-figure' },
          mapCanvas,
          h(
            'figcaption',
            {},
            mapDesc,
            legend.element,
            h('p', { class: 'attribution' }, t('map.attribution')),
          ),
        ),
        figures.element,
      ),
    ),
    coverage.element,
    h(
      'section',
      { id: 'states', class: 'states-section', tabindex: -1, 'aria-labelledby': 'states-h' },
      h('h2', { id: 'states-h' }, t('table.heading')),
      table.element,
      tableActions,
    ),
    source,
  );

  import('../map/world-map.js')
    .then(async (module) => {
      const assets = await module.loadMapAssets();
      if (destroyed) return;
      mapCanvas.replaceChildren();
      worldMap = module.createWorldMap(mapCanvas, assets, mapHeadingId, mapDescId);
      if (rows) worldMap.update(mapStates(rows, state.asOf));
    })
    .catch(() => {
      if (!destroyed) replaceChildren(mapCanvas, h('p', { class: 'map-status' }, t('map.error')));
    });

  function render(): void {
    const shown = state.asOf ?? data?.asOf ?? null;
    const dateText = shown ? formatDate(shown) : '';
    dates.setValue(state.asOf, data?.asOf ?? null);
    countsHeading.textContent = t('counts.heading', { date: dateText });
    mapDesc.textContent = t('map.description', { date: dateText });
    counts.update(data?.counts ?? null);
    legend.update(data?.counts ?? null);
    table.update(rows, state, data?.asOf ?? null);
    setDocumentTitle(shown ? t('home.documentTitle', { date: dateText }) : t('home.title'));
  }

  async function load(): Promise<void> {
    const mine = ++request;
    data = null;
    rows = null;
    render();
    try {
      const answer = await fetchTreatyStatus(state.asOf);
      if (mine !== request || destroyed) return;
      data = answer;
      const shown = state.asOf ?? answer.asOf;
      rows = answer.rows.map((row) => recordAsOf(row, shown));
      error.replaceChildren();
      render();
      worldMap?.update(mapStates(rows, state.asOf));
      replaceChildren(source, sourceNote(answer.meta));
      figures.update(state.asOf, answer.asOf, answer.counts);
      coverage.update(state.asOf, answer.asOf);
      replaceChildren(
        tableActions,
        dataActions({
          title: shown ? t('table.caption', { date: formatDate(shown) }) : t('table.heading'),
          csv: { href: csvHref('/v1/treaty/status', { asOf: state.asOf, _size: 1000 }) },
          meta: answer.meta,
        }),
      );
      if (shown) {
        announcer.textContent = `${t('home.asOf', { date: formatDate(shown) })}: ${formatNumber(answer.counts.stateParty)} ${t('counts.stateParty')}`;
      }
    } catch (err) {
      if (mine !== request || destroyed) return;
      replaceChildren(
        error,
        errorMessage(
          err instanceof ApiError ? err : new ApiError(String(err), 0, 'unknown'),
          () => void load(),
        ),
      );
      render();
    }
  }

  void load();

  return {
    element,
    update(next) {
      const before = state;
      state = parseHomeState(next.search);
      if (before.asOf !== state.asOf) void load();
      else render();
      return true;
    },
    destroy() {
      destroyed = true;
      worldMap?.destroy();
    },
  };
}

function mapStates(rows: readonly StatusRow[], asOf: string | null): MapState[] {
  return rows
    .filter((row): row is StatusRow & { m49: string } => row.m49 !== null)
    .map((row) => {
      const status = statusLabel(row.status);
      const details = [status];
      if (row.depositDate)
        details.push(
          t('map.detail', { label: t('table.col.deposit'), date: formatDate(row.depositDate, 'medium') }),
        );
      if (row.entryIntoForceDate)
        details.push(
          t('map.detail', { label: t('table.col.eif'), date: formatDate(row.entryIntoForceDate, 'medium') }),
        );
      else if (row.signatureDate)
        details.push(
          t('map.detail', { label: t('table.col.signature'), date: formatDate(row.signatureDate, 'medium') }),
        );
      return {
        m49: row.m49,
        name: row.name,
        status: row.status,
        href: stateHref(row.iso3, asOf),
        label: t('map.stateLabel', { name: row.name, status }),
        details,
      };
    });
}
