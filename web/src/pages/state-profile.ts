/**
 * The State profile's data sections, below its treaty record and obligations: arms transfers over time (SIPRI TIV),
 * embargo and risk indicators (the dossier), screening flags for transfers to it, and its reports with their
 * transparency scores. Loaded on demand (its own chunk) after the State itself; each section fails on its own.
 */
import {
  asApiError,
  csvHref,
  fetchData,
  fetchEntities,
  fetchList,
  fetchTiv,
  isAbort,
  isMissingEndpoint,
  isNoData,
  nameOf,
  normaliseDossier,
  normaliseEmbargo,
  normaliseReport,
  normaliseScore,
  normaliseScreening,
  normaliseStateCompliance,
  type Entity,
  type Report,
  type Score,
} from '../api/data.js';
import type { Meta, StateDetail } from '../api/types.js';
import { chartFigure } from '../components/chart.js';
import { dataActions } from '../components/data-actions.js';
import { h, replaceChildren, uid, type Child } from '../components/dom.js';
import { errorMessage } from '../components/error-box.js';
import { levelBadge } from '../components/level-badge.js';
import { notice } from '../components/notice.js';
import { dataTable } from '../components/table.js';
import { termTip } from '../components/term.js';
import { dateCell, emptyValue } from '../components/time.js';
import { tivAmount, tivText } from '../components/values.js';
import {
  formatDate,
  formatDecimal,
  formatNumber,
  t,
  tMaybe,
  textLang,
  type MessageKey,
} from '../i18n/index.js';
import { embargoesHref, parseEmbargoesState } from '../state/embargoes-state.js';
import { parseTransfersState, transfersHref } from '../state/transfers-state.js';

const OUTCOMES = ['flag', 'possible', 'inconclusive', 'clear'] as const;

/** English text from the API (explanations, reasons) is marked as English when the page is in another language. */
const apiText = (text: string, tag: 'span' | 'p' = 'span') =>
  h(tag, { lang: textLang() === 'en' ? null : 'en' }, text);

function section(
  id: string,
  title: string,
  ...children: Child[]
): { element: HTMLElement; body: HTMLElement } {
  const body = h(
    'div',
    { class: 'section-body', 'aria-busy': 'true' },
    h('p', { class: 'muted' }, t('loading')),
  );
  const element = h(
    'section',
    { class: 'profile-section', 'aria-labelledby': id },
    h('h2', { id }, title),
    ...children,
    body,
  );
  return { element, body };
}

function failed(body: HTMLElement, err: unknown, retry: () => void): void {
  body.setAttribute('aria-busy', 'false');
  if (isMissingEndpoint(err)) replaceChildren(body, notice('info', h('p', {}, t('profile.notAvailable'))));
  else if (isNoData(err))
    replaceChildren(
      body,
      notice(
        'info',
        h('p', {}, apiText(err.message)),
        err.hint ? h('p', { class: 'small' }, apiText(err.hint)) : null,
      ),
    );
  else replaceChildren(body, errorMessage(asApiError(err), retry));
}

export function stateProfile(state: StateDetail, asOf: string | null, signal: AbortSignal): HTMLElement {
  const iso3 = state.iso3;
  const name = state.name;
  const tiv = section(uid('tiv-h'), t('profile.tiv.heading'));
  const risk = section(uid('risk-h'), t('profile.risk.heading'));
  const screening = section(uid('scr-h'), t('profile.screening.heading', { name }));
  const reports = section(uid('rep-h'), t('profile.reports.heading'));

  const tivLoad = () =>
    void loadTiv(iso3, name, tiv.body, signal).catch(
      (err: unknown) => !isAbort(err) && failed(tiv.body, err, tivLoad),
    );
  const riskLoad = () =>
    void loadRisk(iso3, name, asOf, risk.body, signal).catch(
      (err: unknown) => !isAbort(err) && failed(risk.body, err, riskLoad),
    );
  const screeningLoad = () =>
    void loadScreening(iso3, name, screening.body, signal).catch(
      (err: unknown) => !isAbort(err) && failed(screening.body, err, screeningLoad),
    );
  const reportsLoad = () =>
    void loadReports(iso3, name, asOf, reports.body, signal).catch(
      (err: unknown) => !isAbort(err) && failed(reports.body, err, reportsLoad),
    );
  tivLoad();
  riskLoad();
  screeningLoad();
  reportsLoad();

  const nav = h(
    'nav',
    { class: 'profile-nav', 'aria-label': t('profile.nav') },
    h(
      'ul',
      {},
      h(
        'li',
        {},
        h(
          'a',
          { href: transfersHref({ ...parseTransfersState(''), importer: state.id || iso3 }) },
          t('profile.link.transfersTo', { name }),
        ),
      ),
      h(
        'li',
        {},
        h(
          'a',
          { href: transfersHref({ ...parseTransfersState(''), exporter: state.id || iso3 }) },
          t('profile.link.transfersFrom', { name }),
        ),
      ),
      h(
        'li',
        {},
        h(
          'a',
          { href: embargoesHref({ ...parseEmbargoesState(''), target: iso3 }) },
          t('profile.link.embargoes', { name }),
        ),
      ),
    ),
  );
  return h(
    'div',
    { class: 'state-profile' },
    nav,
    tiv.element,
    risk.element,
    screening.element,
    reports.element,
  );
}

// --- exports and imports over time ---

async function loadTiv(iso3: string, name: string, body: HTMLElement, signal: AbortSignal): Promise<void> {
  const [exports, imports] = await Promise.all([
    fetchTiv({ by: 'exporter', stateId: iso3 }, signal),
    fetchTiv({ by: 'importer', stateId: iso3 }, signal),
  ]);
  const ex = exports.rows[0]?.byYear ?? new Map<number, number>();
  const im = imports.rows[0]?.byYear ?? new Map<number, number>();
  const years = [...new Set([...ex.keys(), ...im.keys()])].sort((a, b) => a - b);
  body.setAttribute('aria-busy', 'false');
  const meta: Meta = { sources: [...exports.meta.sources, ...imports.meta.sources], notices: [] };
  if (years.length === 0) {
    const register = exports.meta.sources[0]?.source ?? '';
    replaceChildren(
      body,
      notice(
        'info',
        h('p', {}, t('profile.tiv.none', { name })),
        register ? h('p', { class: 'small' }, `${t('profile.tiv.register')}: `, apiText(register)) : null,
      ),
    );
    return;
  }
  const total = (m: Map<number, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  const cell = (m: Map<number, number>, y: number) => (m.has(y) ? formatDecimal(m.get(y)!, 1) : emptyValue());
  // A side with no delivery recorded is said in words, never as a total of 0.
  const description = t('profile.tiv.desc', {
    name,
    first: String(years[0]),
    last: String(years[years.length - 1]),
    exports: ex.size
      ? t('profile.tiv.exported', { value: tivAmount(total(ex)) })
      : t('profile.tiv.noExports'),
    imports: im.size
      ? t('profile.tiv.imported', { value: tivAmount(total(im)) })
      : t('profile.tiv.noImports'),
  });
  const figure = chartFigure({
    title: t('profile.tiv.chartTitle', { name }),
    description,
    table: dataTable({
      caption: t('profile.tiv.caption', { name }),
      columns: [
        { label: t('profile.tiv.col.year') },
        { label: t('profile.tiv.col.exports'), numeric: true },
        { label: t('profile.tiv.col.imports'), numeric: true },
      ],
      rows: [...years].reverse().map((y) => [String(y), cell(ex, y), cell(im, y)]),
    }),
    actions: dataActions({
      title: t('profile.tiv.caption', { name }),
      csv: {
        rows: [
          ['year', 'exportsTiv', 'importsTiv'],
          ...years.map((y) => [y, ex.get(y) ?? null, im.get(y) ?? null]),
        ],
      },
      meta,
      sipri: true,
    }),
  });
  replaceChildren(
    body,
    h(
      'p',
      { class: 'intro' },
      t('profile.tiv.intro'),
      ' ',
      h('span', { class: 'with-tip' }, t('term.tiv.short'), termTip(t('term.tiv.short'), 'term.tiv')),
    ),
    figure.element,
    exports.yearRule
      ? h('p', { class: 'muted small' }, `${t('profile.tiv.yearRule')}: `, apiText(exports.yearRule))
      : null,
  );
  const series = [
    ...years
      .filter((y) => ex.has(y))
      .map((y) => ({ year: y, tiv: ex.get(y)!, series: t('profile.tiv.col.exports') })),
    ...years
      .filter((y) => im.has(y))
      .map((y) => ({ year: y, tiv: im.get(y)!, series: t('profile.tiv.col.imports') })),
  ];
  figure.draw((Plot, width) =>
    Plot.plot({
      width,
      height: 260,
      marginLeft: 52,
      color: {
        legend: true,
        domain: [t('profile.tiv.col.exports'), t('profile.tiv.col.imports')],
        range: ['#0b4f8a', '#c05600'],
      },
      x: {
        label: null,
        tickFormat: (d: number) => (Number.isInteger(d) ? String(d) : ''),
        ticks: Math.min(years.length, Math.floor(width / 60)),
      },
      y: { label: t('profile.tiv.axis'), grid: true, ticks: 5 },
      marks: [
        Plot.ruleY([0]),
        Plot.lineY(series, { x: 'year', y: 'tiv', stroke: 'series', strokeWidth: 2 }),
        Plot.dot(series, { x: 'year', y: 'tiv', fill: 'series', r: 2.5, symbol: 'series' }),
      ],
    }),
  );
}

// --- embargo and risk indicators ---

async function loadRisk(
  iso3: string,
  name: string,
  asOf: string | null,
  body: HTMLElement,
  signal: AbortSignal,
): Promise<void> {
  const [dossierAnswer, embargoes] = await Promise.all([
    fetchData(`/v1/states/${encodeURIComponent(iso3)}/dossier`, { asOf }, signal),
    fetchList('/v1/embargoes', { target: iso3, _size: 100 }, normaliseEmbargo, signal).catch(
      (err: unknown) => {
        if (isAbort(err)) throw err;
        return null;
      },
    ),
  ]);
  const dossier = normaliseDossier(dossierAnswer.data);
  body.setAttribute('aria-busy', 'false');
  const embargoList = embargoes?.rows.length
    ? h(
        'ul',
        { class: 'embargo-list' },
        ...embargoes.rows.map((e) =>
          h(
            'li',
            {},
            h(
              'a',
              { href: `${embargoesHref({ ...parseEmbargoesState(''), target: iso3 })}#ep-${e.id}` },
              `${t(`authority.${e.authority}` as MessageKey)} ${e.id}`,
            ),
            ': ',
            e.startDate ? formatDate(e.startDate, 'medium') : '?',
            ' – ',
            e.endDate ? formatDate(e.endDate, 'medium') : t('embargoes.ongoing'),
            ' · ',
            tMaybe(`scope.${e.scopeCode}`, e.scopeCode ?? ''),
          ),
        ),
      )
    : h('p', {}, t('profile.risk.noEmbargo', { name }));
  const rows = dossier.indicators;
  replaceChildren(
    body,
    h('h3', {}, t('profile.risk.embargoes')),
    embargoList,
    h('h3', {}, t('profile.risk.indicators', { date: dossier.asOf ? formatDate(dossier.asOf) : '' })),
    h('p', { class: 'intro' }, t('profile.risk.intro')),
    dataTable({
      caption: t('profile.risk.caption', { name }),
      className: 'data-table indicators-table',
      columns: [
        { label: t('profile.risk.col.indicator') },
        { label: t('profile.risk.col.article') },
        { label: t('profile.risk.col.level') },
        { label: t('profile.risk.col.explanation') },
      ],
      rows: rows.map((row) => [
        tMaybe(`indicator.${row.indicator}`, row.indicator.replace(/_/g, ' ')),
        h('span', { class: 'nowrap' }, t('profile.risk.article', { article: row.article })),
        levelBadge(row.level),
        h(
          'span',
          {},
          apiText(row.explanation),
          row.source
            ? h('span', { class: 'muted small block' }, `${t('source.label')}: `, apiText(row.source))
            : null,
        ),
      ]),
      rowAttrs: (index) => ({ 'data-level': rows[index]!.level, 'data-indicator': rows[index]!.indicator }),
    }),
    dossier.caveats.length
      ? h(
          'ul',
          { class: 'caveats', lang: textLang() === 'en' ? null : 'en' },
          ...dossier.caveats.map((c) => h('li', {}, c)),
        )
      : null,
    dataActions({
      title: t('profile.risk.caption', { name }),
      csv: {
        rows: [
          ['article', 'indicator', 'level', 'value', 'explanation', 'source'],
          ...rows.map((r) => [r.article, r.indicator, r.level, r.value, r.explanation, r.source]),
        ],
      },
      meta: dossierAnswer.meta,
      sipri: Boolean(dossier.citation),
    }),
  );
}

// --- screening flags ---

async function loadScreening(
  iso3: string,
  name: string,
  body: HTMLElement,
  signal: AbortSignal,
): Promise<void> {
  // One request per outcome: the API does not take a repeated `outcome` yet.
  const [flagged, possible, all, entities] = await Promise.all([
    fetchList('/v1/screening', { importerId: iso3, outcome: 'flag', _size: 50 }, normaliseScreening, signal),
    fetchList(
      '/v1/screening',
      { importerId: iso3, outcome: 'possible', _size: 50 },
      normaliseScreening,
      signal,
    ),
    fetchList('/v1/screening', { importerId: iso3, _size: 1, _facet: 'outcome' }, () => null, signal),
    fetchEntities().catch(() => null as Map<string, Entity> | null),
  ]);
  const flags = {
    rows: [...flagged.rows, ...possible.rows].slice(0, 50),
    count: flagged.count + possible.count,
    meta: flagged.meta,
  };
  body.setAttribute('aria-busy', 'false');
  const counts = new Map((all.facets.outcome ?? []).map((f) => [f.value ?? '', f.count]));
  const summary = h(
    'ul',
    { class: 'outcome-counts', 'aria-label': t('profile.screening.counts') },
    ...OUTCOMES.map((o) =>
      h(
        'li',
        { 'data-outcome': o },
        levelBadge(o, 'outcome'),
        ' ',
        h('strong', {}, formatNumber(counts.get(o) ?? 0)),
      ),
    ),
  );
  const intro = h(
    'p',
    { class: 'intro' },
    t('profile.screening.intro', { name, count: all.count }),
    ' ',
    h('span', { class: 'with-tip' }, t('term.flag.short'), termTip(t('term.flag.short'), 'term.flag')),
  );
  const table = flags.rows.length
    ? dataTable({
        caption: t('profile.screening.caption', { name }),
        className: 'data-table screening-table',
        columns: [
          { label: t('transfers.col.year') },
          { label: t('transfers.col.exporter') },
          { label: t('transfers.col.weapon') },
          { label: t('transfers.col.tiv'), numeric: true },
          { label: t('profile.screening.col.outcome') },
          { label: t('profile.screening.col.reason') },
        ],
        rows: flags.rows.map((row) => [
          row.years.length
            ? row.years.length > 1
              ? `${Math.min(...row.years)}–${Math.max(...row.years)}`
              : String(row.years[0])
            : emptyValue(),
          nameOf(entities, row.exporterId),
          row.description ?? emptyValue(),
          tivText(row.tivDelivered) ?? emptyValue(),
          levelBadge(row.outcome, 'outcome'),
          h(
            'span',
            {},
            apiText(row.reason),
            ...row.episodeIds.flatMap((id) => [
              ' ',
              h('a', { href: `/embargoes#ep-${encodeURIComponent(id)}`, class: 'code' }, id),
            ]),
          ),
        ]),
        rowAttrs: (index) => ({ 'data-outcome': flags.rows[index]!.outcome }),
      })
    : notice('info', h('p', {}, t('profile.screening.none', { name })));
  replaceChildren(
    body,
    intro,
    summary,
    table,
    flags.count > flags.rows.length
      ? h(
          'p',
          { class: 'muted' },
          t('profile.screening.more', { shown: flags.rows.length, count: flags.count }),
        )
      : null,
    dataActions({
      title: t('profile.screening.caption', { name }),
      csv: { href: csvHref('/v1/screening', { importerId: iso3, _size: 'max' }) },
      meta: flags.meta,
      sipri: true,
      note: t('profile.screening.csv', { count: all.count }),
    }),
  );
}

// --- reports and transparency scores ---

async function loadReports(
  iso3: string,
  name: string,
  asOf: string | null,
  body: HTMLElement,
  signal: AbortSignal,
): Promise<void> {
  const answer = await fetchList('/v1/reports', { stateId: iso3, _size: 100 }, normaliseReport, signal);
  const compliance = await fetchData(
    `/v1/compliance/states/${encodeURIComponent(iso3)}`,
    { asOf },
    signal,
    '/v1/compliance/states/{iso3}',
  )
    .then((r) => normaliseStateCompliance(r.data))
    .catch((err: unknown) => {
      if (isAbort(err)) throw err;
      return null;
    });
  // Scores come with the report itself (/v1/reports/{id}) when the list does not carry them.
  const reports = [...answer.rows].sort((a, b) => (b.coveredYear ?? 0) - (a.coveredYear ?? 0));
  await Promise.all(
    reports.slice(0, 12).map(async (report) => {
      if (report.score || !report.id) return;
      try {
        const detail = await fetchData(
          `/v1/reports/${encodeURIComponent(report.id)}`,
          {},
          signal,
          '/v1/reports/{id}',
        );
        report.score = normaliseScore(detail.data.score ?? detail.body.score);
      } catch (err) {
        if (isAbort(err)) throw err;
      }
    }),
  );
  body.setAttribute('aria-busy', 'false');
  const parts: Child[] = [];
  if (compliance?.summary) parts.push(h('p', { class: 'intro' }, apiText(compliance.summary)));
  if (reports.length === 0) {
    parts.push(notice('info', h('p', {}, t('profile.reports.none', { name }))));
  } else {
    parts.push(
      h(
        'p',
        { class: 'intro' },
        t('profile.reports.intro'),
        ' ',
        h(
          'span',
          { class: 'with-tip' },
          t('term.private.short'),
          termTip(t('term.private.short'), 'term.private'),
        ),
      ),
      dataTable({
        caption: t('profile.reports.caption', { name }),
        className: 'data-table reports-table',
        columns: [
          { label: t('profile.reports.col.report') },
          { label: t('profile.reports.col.submitted') },
          { label: t('profile.reports.col.exports') },
          { label: t('profile.reports.col.imports') },
          { label: t('profile.reports.col.score') },
        ],
        rows: reports.map((r) => {
          const label =
            r.coveredYear !== null
              ? t('profile.reports.annual', { year: String(r.coveredYear) })
              : tMaybe(`obligation.kind.${r.kind}`, r.kind);
          return [
            r.id
              ? h('a', { href: `/reports/${encodeURIComponent(r.id)}`, class: 'report-link' }, label)
              : label,
            dateCell(r.submittedOn),
            formCell(r, 'exports'),
            formCell(r, 'imports'),
            r.score ? scoreCell(r.score) : h('span', { class: 'muted' }, t('profile.reports.noScore')),
          ];
        }),
      }),
    );
  }
  parts.push(
    dataActions({
      title: t('profile.reports.caption', { name }),
      csv: { href: csvHref('/v1/reports', { stateId: iso3, _size: 'max' }) },
      meta: answer.meta,
    }),
  );
  replaceChildren(body, ...parts);
}

function formCell(report: Report, form: 'exports' | 'imports'): Child {
  if (!report.formsRecorded) return h('span', { class: 'muted' }, t('profile.reports.form.notRecorded'));
  if (report.coveredYear === null) return h('span', { class: 'muted' }, t('value.notApplicable'));
  const status = report[form];
  if (!status) return t('profile.reports.form.notIncluded');
  const bits: string[] = [tMaybe(`visibility.${status.visibility}`, status.visibility ?? '')];
  if (status.nil) bits.push(t('profile.reports.form.nil'));
  if (status.withheld) bits.push(t('profile.reports.form.withheld'));
  return h('span', { 'data-visibility': status.visibility ?? '' }, bits.filter(Boolean).join(', '));
}

function scoreCell(score: Score): HTMLElement {
  return h(
    'details',
    { class: 'score' },
    h('summary', {}, t('profile.reports.scoreValue', { score: score.score, max: score.maxScore })),
    h(
      'ul',
      { class: 'criteria' },
      ...score.criteria.map((c) =>
        h(
          'li',
          {},
          h('strong', {}, `${c.label}: ${formatNumber(c.points)}/${formatNumber(c.maxPoints)}`),
          ' ',
          apiText(c.reason),
        ),
      ),
    ),
    score.rubricVersion
      ? h('p', { class: 'muted small' }, t('profile.reports.rubric', { version: score.rubricVersion }))
      : null,
  );
}
