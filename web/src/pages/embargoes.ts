import {
  asApiError,
  fetchEntities,
  fetchList,
  nameOf,
  normaliseEmbargo,
  type Embargo,
  type Entity,
} from '../api/data.js';
import type { Meta } from '../api/types.js';
import { dataActions } from '../components/data-actions.js';
import { h, replaceChildren, s, uid, type Child } from '../components/dom.js';
import { errorMessage } from '../components/error-box.js';
import { notice } from '../components/notice.js';
import { sourceNote } from '../components/source-note.js';
import { termTip } from '../components/term.js';
import { dateCell, emptyValue } from '../components/time.js';
import { formatDate, t, tMaybe, textLang, type MessageKey } from '../i18n/index.js';
import { navigate, setDocumentTitle, type Page } from '../router.js';
import { MAX_AS_OF, MIN_AS_OF, isIsoDate, todayUtc } from '../state/dates.js';
import {
  embargoesHref,
  inForceOn,
  parseEmbargoesState,
  selectEpisodes,
  timelineRows,
  yearFraction,
  type EmbargoesState,
  type TimelineRow,
} from '../state/embargoes-state.js';
import { stateHref } from '../state/state-page-state.js';

const SCOPES = [
  'full',
  'government_exempt',
  'non_state_actors_only',
  'named_group',
  'targeted',
  'partial_items',
  'regional',
  'end_use_restricted',
  'approval_regime',
] as const;

/** `/embargoes`: UN and EU arms embargo episodes on a timeline by target and authority, filterable, with scope and sources. */
export function embargoesPage(url: URL): Page {
  let state = parseEmbargoesState(url.search);
  let episodes: Embargo[] | null = null;
  let meta: Meta | null = null;
  let entities: Map<string, Entity> | null = null;
  let destroyed = false;

  const go = (next: EmbargoesState, replace = false) => navigate(embargoesHref(next), { replace });
  const names = (id: string) => nameOf(entities, id);

  const heading = h('h1', { tabindex: -1 }, t('embargoes.title'));
  const status = h('p', { class: 'results-summary', role: 'status', 'aria-live': 'polite' });
  const errorSlot = h('div', { class: 'error-slot' });

  // --- filters ---
  const field = (label: string, control: HTMLElement) =>
    h('div', { class: 'field' }, h('label', { for: control.id }, label), control);
  const authority = h(
    'select',
    { id: uid('authority'), name: 'authority' },
    h('option', { value: '' }, t('embargoes.filter.authority.all')),
    h('option', { value: 'UN' }, t('authority.UN')),
    h('option', { value: 'EU' }, t('authority.EU')),
  );
  authority.addEventListener('change', () =>
    go({ ...state, authority: (authority.value || null) as EmbargoesState['authority'] }),
  );
  const scope = h(
    'select',
    { id: uid('scope'), name: 'scope' },
    h('option', { value: '' }, t('embargoes.filter.scope.all')),
    ...SCOPES.map((code) => h('option', { value: code }, t(`scope.${code}` as MessageKey))),
  );
  scope.addEventListener('change', () => go({ ...state, scope: scope.value || null }));
  const binding = h(
    'select',
    { id: uid('binding'), name: 'binding' },
    h('option', { value: '' }, t('embargoes.filter.binding.all')),
    h('option', { value: 'mandatory' }, t('binding.mandatory')),
    h('option', { value: 'voluntary' }, t('binding.voluntary')),
  );
  binding.addEventListener('change', () => go({ ...state, binding: binding.value || null }));
  const search = h('input', {
    id: uid('q'),
    type: 'search',
    name: 'q',
    autocomplete: 'off',
    spellcheck: 'false',
  });
  search.addEventListener('input', () => go({ ...state, q: search.value, target: null }, true));
  const asOf = h('input', { id: uid('asof'), type: 'date', name: 'asOf', min: MIN_AS_OF, max: MAX_AS_OF });
  let asOfTimer: ReturnType<typeof setTimeout> | undefined;
  const commitAsOf = () => {
    const value = asOf.value;
    if (value === '') {
      if (state.asOf !== null) go({ ...state, asOf: null });
      return;
    }
    if (isIsoDate(value) && value !== state.asOf) go({ ...state, asOf: value });
  };
  asOf.addEventListener('input', () => {
    clearTimeout(asOfTimer);
    asOfTimer = setTimeout(commitAsOf, 400);
  });
  asOf.addEventListener('change', () => {
    clearTimeout(asOfTimer);
    asOfTimer = setTimeout(commitAsOf, 400);
  });
  const todayLink = h(
    'a',
    { href: embargoesHref({ ...state, asOf: todayUtc() }), class: 'inline-link' },
    t('embargoes.filter.inForceToday'),
  );
  const clear = h('a', { href: '/embargoes', class: 'clear-filters' }, t('embargoes.filter.clear'));
  const form = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': t('embargoes.filter.label') },
    field(t('embargoes.filter.q'), search),
    field(t('embargoes.filter.authority'), authority),
    field(t('embargoes.filter.scope'), scope),
    field(t('embargoes.filter.binding'), binding),
    h(
      'div',
      { class: 'field' },
      h('label', { for: asOf.id }, t('embargoes.filter.asOf')),
      asOf,
      h('span', { class: 'hint' }, t('embargoes.filter.asOfHint'), ' ', todayLink),
    ),
    h('div', { class: 'field field-clear' }, clear),
  );
  form.addEventListener('submit', (event) => event.preventDefault());

  const timelineHeadingId = uid('tl-h');
  const timelineDescId = uid('tl-desc');
  const timelineSlot = h('div', {
    class: 'timeline-scroll',
    tabindex: 0,
    role: 'region',
    'aria-labelledby': timelineHeadingId,
  });
  const timelineDesc = h('p', { id: timelineDescId, class: 'map-desc' });
  const timelineActions = h('div');
  const listSlot = h('div', { class: 'episodes', 'aria-busy': 'true' });
  const source = h('div', { class: 'source-slot' });

  const element = h(
    'div',
    { class: 'page embargoes' },
    h(
      'header',
      { class: 'page-header' },
      heading,
      h(
        'p',
        { class: 'lede' },
        t('embargoes.lede'),
        ' ',
        h(
          'span',
          { class: 'with-tip' },
          t('term.binding.short'),
          termTip(t('term.binding.short'), 'term.binding'),
        ),
      ),
    ),
    h('section', { class: 'controls', 'aria-label': t('embargoes.filter.label') }, form),
    status,
    errorSlot,
    h(
      'section',
      { class: 'panel', 'aria-labelledby': timelineHeadingId },
      h('h2', { id: timelineHeadingId }, t('embargoes.timeline.heading')),
      timelineDesc,
      legend(),
      timelineSlot,
      timelineActions,
    ),
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'ep-list-h' },
      h('h2', { id: 'ep-list-h' }, t('embargoes.list.heading')),
      listSlot,
    ),
    source,
  );

  function renderControls(): void {
    authority.value = state.authority ?? '';
    scope.value = state.scope ?? '';
    binding.value = state.binding ?? '';
    if (document.activeElement !== search)
      search.value = state.q || (state.target ? names(state.target) : '');
    if (document.activeElement !== asOf) asOf.value = state.asOf ?? '';
    todayLink.setAttribute('href', embargoesHref({ ...state, asOf: todayUtc() }));
  }

  function render(): void {
    renderControls();
    setDocumentTitle(t('embargoes.title'));
    if (!episodes) {
      status.textContent = t('loading');
      return;
    }
    const selected = selectEpisodes(episodes, state, names);
    const rows = timelineRows(selected, names);
    status.textContent = state.asOf
      ? t('embargoes.summaryOn', {
          count: selected.length,
          targets: rows.length,
          date: formatDate(state.asOf),
        })
      : t('embargoes.summary', { count: selected.length, targets: rows.length, total: episodes.length });
    timelineDesc.textContent = t('embargoes.timeline.desc');
    replaceChildren(
      timelineSlot,
      rows.length
        ? timeline(rows, state.asOf, timelineHeadingId, timelineDescId, timelineSlot.clientWidth - 2)
        : notice('info', h('p', {}, t('embargoes.none'))),
    );
    const csvRows = [
      [
        'id',
        'authority',
        'target',
        'targetIds',
        'startDate',
        'endDate',
        'endBasis',
        'scopeCode',
        'scopeText',
        'binding',
        'direction',
        'confidence',
        'imposingMeasures',
        'sources',
      ],
      ...selected.map((e) => [
        e.id,
        e.authority,
        e.target,
        e.targetIds.join(';'),
        e.startDate,
        e.endDate,
        e.endBasis,
        e.scopeCode,
        e.scopeText,
        e.binding,
        e.direction,
        e.confidence,
        e.imposingMeasures,
        e.sources,
      ]),
    ];
    replaceChildren(
      timelineActions,
      dataActions({
        title: t('embargoes.title'),
        csv: { rows: csvRows },
        meta,
        sources: [t('embargoes.sourceLine')],
      }),
    );
    replaceChildren(listSlot, ...rows.map((row) => episodeGroup(row, entities)));
    replaceChildren(
      source,
      sourceNote(
        meta && meta.sources.length
          ? meta
          : { sources: [{ source: t('embargoes.sourceLine') }], notices: [] },
      ),
    );
  }

  async function load(): Promise<void> {
    try {
      const [answer, ents] = await Promise.all([
        fetchList('/v1/embargoes', { _size: 1000 }, normaliseEmbargo),
        fetchEntities().catch(() => null),
      ]);
      if (destroyed) return;
      episodes = answer.rows;
      meta = answer.meta;
      entities = ents;
      errorSlot.replaceChildren();
      render();
      listSlot.setAttribute('aria-busy', 'false');
      if (location.hash)
        document.getElementById(decodeURIComponent(location.hash.slice(1)))?.scrollIntoView();
    } catch (err) {
      if (destroyed) return;
      listSlot.setAttribute('aria-busy', 'false');
      replaceChildren(
        errorSlot,
        errorMessage(asApiError(err), () => void load()),
      );
    }
  }

  render();
  void load();

  // Redraw the timeline at its new width (a phone turned sideways, a window resized).
  let drawnWidth = 0;
  const resize = new ResizeObserver(() => {
    const width = timelineSlot.clientWidth;
    if (episodes && Math.abs(width - drawnWidth) > 24) render();
    drawnWidth = width;
  });
  resize.observe(timelineSlot);

  return {
    element,
    update(next) {
      state = parseEmbargoesState(next.search);
      render();
      return true;
    },
    destroy() {
      destroyed = true;
      resize.disconnect();
    },
  };
}

function legend(): HTMLElement {
  return h(
    'ul',
    { class: 'legend timeline-legend', 'aria-label': t('map.legend') },
    h(
      'li',
      { 'data-authority': 'UN' },
      h('span', { class: 'swatch', 'aria-hidden': 'true' }),
      t('authority.UN'),
    ),
    h(
      'li',
      { 'data-authority': 'EU' },
      h('span', { class: 'swatch', 'aria-hidden': 'true' }),
      t('authority.EU'),
    ),
    h(
      'li',
      { 'data-binding': 'voluntary' },
      h('span', { class: 'swatch', 'aria-hidden': 'true' }),
      t('binding.voluntary'),
    ),
    h(
      'li',
      { 'data-open': '' },
      h('span', { class: 'swatch', 'aria-hidden': 'true' }),
      t('embargoes.legend.open'),
    ),
    h(
      'li',
      { 'data-unknown-end': '' },
      h('span', { class: 'swatch', 'aria-hidden': 'true' }),
      t('embargoes.endUnknown'),
    ),
  );
}

const LANE = 9;
const ROW_PAD = 5;
const AXIS_H = 24;

/**
 * The timeline drawn at the width it is shown (text stays at its CSS size on a phone): a label column, then one
 * row per target with its UN episodes above its EU episodes.
 */
function timeline(
  rows: readonly TimelineRow[],
  asOf: string | null,
  titleId: string,
  descId: string,
  available: number,
): SVGSVGElement {
  const WIDTH = Math.max(340, Math.min(1200, Math.round(available) || 960));
  const LABEL_W = Math.round(Math.min(230, WIDTH * 0.38));
  const labelChars = Math.floor((LABEL_W - 12) / 6.4);
  const today = todayUtc();
  const dates = rows.flatMap((r) =>
    r.episodes.flatMap((e) => [e.startDate, e.endDate]).filter((d): d is string => d !== null),
  );
  const minYear =
    Math.floor(Math.min(...dates.map(yearFraction), asOf ? yearFraction(asOf) : Infinity) / 5) * 5;
  const maxYear = Math.ceil((yearFraction(today) + 0.5) / 5) * 5;
  const x = (year: number) => LABEL_W + ((year - minYear) / (maxYear - minYear)) * (WIDTH - LABEL_W - 28);
  const rowHeight = LANE * 2 + ROW_PAD * 2;
  const height = AXIS_H + rows.length * rowHeight + 8;

  const svg = s('svg', {
    class: 'timeline',
    viewBox: `0 0 ${WIDTH} ${height}`,
    role: 'group',
    'aria-labelledby': titleId,
    'aria-describedby': descId,
  });
  const grid = s('g', { class: 'timeline-axis', 'aria-hidden': 'true' });
  // A year label every 10 years, or every 20 when they would touch (a phone).
  const labelEvery = ((WIDTH - LABEL_W - 28) / (maxYear - minYear)) * 10 < 36 ? 20 : 10;
  for (let year = minYear; year <= maxYear; year += 5) {
    grid.append(
      s('line', {
        x1: x(year),
        x2: x(year),
        y1: AXIS_H - 4,
        y2: height,
        class: year % 10 === 0 ? 'major' : 'minor',
      }),
    );
    if (year % labelEvery === 0)
      grid.append(s('text', { x: x(year), y: 14, 'text-anchor': 'middle' }, String(year)));
  }
  svg.append(grid);
  rows.forEach((row, index) => {
    const top = AXIS_H + index * rowHeight;
    const group = s('g', { class: 'timeline-row', 'data-target': row.key });
    group.append(
      s('rect', {
        x: 0,
        y: top,
        width: WIDTH,
        height: rowHeight,
        class: index % 2 ? 'band odd' : 'band',
        'aria-hidden': 'true',
      }),
      s(
        'text',
        {
          x: LABEL_W - 8,
          y: top + rowHeight / 2 + 4,
          'text-anchor': 'end',
          class: 'row-label',
          'aria-hidden': 'true',
        },
        truncate(row.label, labelChars),
      ),
    );
    for (const episode of row.episodes) {
      if (!episode.startDate) continue;
      const lane = episode.authority === 'EU' ? 1 : 0;
      const start = x(yearFraction(episode.startDate));
      // An end never recorded (a lapsed measure): a short bar, then a dotted line, and no "still in force" arrow.
      const unknownEnd = episode.endDate === null && episode.endBasis === 'unknown';
      const open = episode.endDate === null && !unknownEnd;
      const startYear = yearFraction(episode.startDate);
      const end = x(
        unknownEnd ? Math.min(startYear + 1, yearFraction(today)) : yearFraction(episode.endDate ?? today),
      );
      const y = top + ROW_PAD + lane * LANE;
      const label = episodeLabel(episode, row.label);
      group.append(
        s(
          'a',
          {
            href: `#ep-${episode.id}`,
            'aria-label': label,
            'data-episode': episode.id,
            'data-authority': episode.authority,
            'data-binding': episode.binding ?? 'unknown',
            'data-open': open ? '' : null,
          },
          s('title', {}, label),
          s('rect', {
            x: start.toFixed(1),
            y,
            width: Math.max(3, end - start).toFixed(1),
            height: LANE - 1,
            rx: 2,
            class: 'bar',
          }),
          open
            ? s('path', {
                d: `M${end.toFixed(1)},${y} l6,${(LANE - 1) / 2} l-6,${(LANE - 1) / 2} z`,
                class: 'bar-open',
              })
            : null,
          unknownEnd
            ? s('line', {
                x1: end.toFixed(1),
                x2: x(yearFraction(today)).toFixed(1),
                y1: y + (LANE - 1) / 2,
                y2: y + (LANE - 1) / 2,
                class: 'bar-unknown',
              })
            : null,
        ),
      );
    }
    svg.append(group);
  });
  if (asOf) {
    const at = x(yearFraction(asOf));
    svg.append(
      s(
        'g',
        { class: 'timeline-asof', 'aria-hidden': 'true' },
        s('line', { x1: at, x2: at, y1: AXIS_H - 6, y2: height }),
        s('text', { x: at + 4, y: AXIS_H - 8 }, formatDate(asOf, 'medium')),
      ),
    );
  }
  return svg;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function period(episode: Embargo): string {
  const start = episode.startDate ? formatDate(episode.startDate, 'medium') : '?';
  const end = episode.endDate
    ? formatDate(episode.endDate, 'medium')
    : episode.endBasis === 'unknown'
      ? t('embargoes.endUnknown')
      : t('embargoes.ongoing');
  return `${start} – ${end}`;
}

function episodeLabel(episode: Embargo, target: string): string {
  return t('embargoes.barLabel', {
    authority: t(`authority.${episode.authority}` as MessageKey),
    target,
    period: period(episode),
    scope: tMaybe(`scope.${episode.scopeCode}`, episode.scopeCode ?? ''),
  });
}

function episodeGroup(row: TimelineRow, entities: Map<string, Entity> | null): HTMLElement {
  const stateLinks: Child[] = [];
  for (const id of row.episodes[0]?.targetIds ?? []) {
    const entity = entities?.get(id);
    if (entity?.kind === 'state' && entity.iso3)
      stateLinks.push(
        h('a', { href: stateHref(entity.iso3, null) }, t('embargoes.stateProfile', { name: entity.name })),
      );
  }
  return h(
    'section',
    { class: 'episode-group', 'aria-label': row.label },
    h('h3', {}, row.label, ...stateLinks.flatMap((link) => [' ', h('span', { class: 'small' }, link)])),
    ...row.episodes.map(episodeCard),
  );
}

function linkify(text: string): Child[] {
  const out: Child[] = [];
  let last = 0;
  for (const match of text.matchAll(/https?:\/\/[^\s;,)]+/g)) {
    const index = match.index ?? 0;
    out.push(text.slice(last, index), h('a', { href: match[0], rel: 'noopener' }, match[0]));
    last = index + match[0].length;
  }
  out.push(text.slice(last));
  return out;
}

function episodeCard(episode: Embargo): HTMLElement {
  const today = todayUtc();
  const english = textLang() === 'en' ? null : 'en';
  const facts: [string, Child][] = [
    [
      t('embargoes.col.period'),
      h(
        'span',
        {},
        dateCell(episode.startDate),
        ' – ',
        episode.endDate ? dateCell(episode.endDate) : h('span', {}, period(episode).split(' – ')[1]),
      ),
    ],
    [
      t('embargoes.col.scope'),
      h(
        'span',
        {},
        tMaybe(`scope.${episode.scopeCode}`, episode.scopeCode ?? ''),
        episode.scopeText ? h('span', { class: 'muted', lang: english }, ` (${episode.scopeText})`) : null,
      ),
    ],
    [
      t('embargoes.col.binding'),
      h(
        'span',
        {},
        tMaybe(`binding.${episode.binding}`, episode.binding ?? ''),
        episode.bindingText
          ? h('span', { class: 'muted', lang: english }, ` (${episode.bindingText})`)
          : null,
      ),
    ],
    [t('embargoes.col.direction'), tMaybe(`direction.${episode.direction}`, episode.direction ?? '')],
    [
      t('embargoes.col.measures'),
      episode.imposingMeasures
        ? h(
            'span',
            { lang: english },
            [episode.imposingMeasures, episode.modifyingMeasures, episode.endingMeasure]
              .filter(Boolean)
              .join('; '),
          )
        : emptyValue(),
    ],
    [t('embargoes.col.confidence'), tMaybe(`confidence.${episode.confidence}`, episode.confidence ?? '')],
    [
      t('embargoes.col.sources'),
      episode.sources ? h('span', { lang: english }, ...linkify(episode.sources)) : emptyValue(),
    ],
  ];
  if (episode.notes) facts.push([t('embargoes.col.notes'), h('span', { lang: english }, episode.notes)]);
  const active = inForceOn(episode, today);
  return h(
    'article',
    { id: `ep-${episode.id}`, class: 'episode', tabindex: -1, 'data-authority': episode.authority },
    h(
      'h4',
      {},
      h(
        'span',
        { class: 'authority-tag', 'data-authority': episode.authority },
        t(`authority.${episode.authority}` as MessageKey),
      ),
      ' ',
      h('span', { class: 'code' }, episode.id),
      ' ',
      active ? h('span', { class: 'in-force' }, t('embargoes.inForceToday')) : null,
    ),
    h(
      'dl',
      { class: 'facts compact' },
      ...facts.map(([dt, dd]) => h('div', {}, h('dt', {}, dt), h('dd', {}, dd))),
    ),
  );
}
