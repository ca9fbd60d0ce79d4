import {
  asApiError,
  csvHref,
  fetchList,
  normaliseDataset,
  normaliseImportRun,
  type Dataset,
  type ImportRun,
} from '../api/data.js';
import type { Meta } from '../api/types.js';
import { SIPRI_CITATION, dataActions } from '../components/data-actions.js';
import { h, replaceChildren, type Child } from '../components/dom.js';
import { errorMessage } from '../components/error-box.js';
import { levelBadge } from '../components/level-badge.js';
import { dataTable } from '../components/table.js';
import { dateCell, emptyValue } from '../components/time.js';
import { formatInstant, formatNumber, t, textLang, type MessageKey } from '../i18n/index.js';
import { setDocumentTitle, type Page } from '../router.js';

/** Definitions readers meet on every page, each with an anchor (`/methods#tiv`) to link to. */
const DEFINITIONS: { id: string; term: MessageKey; text: MessageKey }[] = [
  { id: 'tiv', term: 'term.tiv.short', text: 'term.tiv' },
  { id: 'missing', term: 'term.missing.short', text: 'term.missing' },
  { id: 'signed', term: 'counts.signed', text: 'term.signed' },
  { id: 'signatory', term: 'status.signatory', text: 'term.signatory' },
  { id: 'deposited', term: 'counts.deposited', text: 'term.deposited' },
  { id: 'in-force', term: 'status.state_party', text: 'term.stateParty' },
  { id: 'awaiting', term: 'counts.depositedAwaitingEif', text: 'term.awaitingEif' },
  { id: 'declared', term: 'status.declared_not_to_become_party', text: 'term.declared' },
  { id: 'reporting-rate', term: 'figures.reportingRate', text: 'term.reportingRate' },
  { id: 'private', term: 'term.private.short', text: 'term.private' },
  { id: 'embargo', term: 'term.embargo.short', text: 'term.embargo' },
  { id: 'binding', term: 'term.binding.short', text: 'term.binding' },
];

const OUTCOMES = ['flag', 'possible', 'inconclusive', 'clear'] as const;
const LEVELS = ['info', 'attention', 'concern'] as const;

/** `/methods`: sources and licences, definitions, and how every flag and figure is computed. */
export function methodsPage(_url: URL): Page {
  let destroyed = false;
  const sourcesSlot = h('div', { 'aria-busy': 'true' }, h('p', { class: 'muted' }, t('loading')));
  const importsSlot = h('div');
  const docs = (path: string) => h('code', { class: 'doc-path' }, path);

  const toc: [string, MessageKey][] = [
    ['sources', 'methods.sources.heading'],
    ['definitions', 'methods.definitions.heading'],
    ['screening', 'methods.screening.heading'],
    ['dossier', 'methods.dossier.heading'],
    ['coverage', 'methods.coverage.heading'],
    ['reporting', 'methods.reporting.heading'],
    ['score', 'methods.score.heading'],
  ];

  const element = h(
    'div',
    { class: 'page methods' },
    h(
      'header',
      { class: 'page-header' },
      h('h1', { tabindex: -1 }, t('methods.title')),
      h('p', { class: 'lede' }, t('methods.lede')),
    ),
    h(
      'nav',
      { class: 'toc', 'aria-label': t('methods.toc') },
      h('ol', {}, ...toc.map(([id, key]) => h('li', {}, h('a', { href: `#${id}` }, t(key))))),
    ),
    h(
      'section',
      { id: 'sources', class: 'panel', 'aria-labelledby': 'm-sources-h', tabindex: -1 },
      h('h2', { id: 'm-sources-h' }, t('methods.sources.heading')),
      h('p', {}, t('methods.sources.intro')),
      h(
        'p',
        {},
        t('methods.sources.sipri'),
        ' ',
        h('q', { lang: textLang() === 'en' ? null : 'en' }, SIPRI_CITATION),
        '.',
      ),
      sourcesSlot,
      h('h3', {}, t('methods.imports.heading')),
      h('p', {}, t('methods.imports.intro')),
      importsSlot,
    ),
    h(
      'section',
      { id: 'definitions', class: 'panel', 'aria-labelledby': 'm-def-h', tabindex: -1 },
      h('h2', { id: 'm-def-h' }, t('methods.definitions.heading')),
      h(
        'dl',
        { class: 'definitions' },
        ...DEFINITIONS.map((d) => h('div', { id: d.id }, h('dt', {}, t(d.term)), h('dd', {}, t(d.text)))),
      ),
    ),
    h(
      'section',
      { id: 'screening', class: 'panel', 'aria-labelledby': 'm-scr-h', tabindex: -1 },
      h('h2', { id: 'm-scr-h' }, t('methods.screening.heading')),
      h('p', {}, t('methods.screening.intro')),
      h(
        'dl',
        { class: 'definitions' },
        ...OUTCOMES.map((o) =>
          h(
            'div',
            {},
            h('dt', {}, levelBadge(o, 'outcome')),
            h('dd', {}, t(`methods.screening.${o}` as MessageKey)),
          ),
        ),
      ),
      h(
        'ul',
        {},
        h('li', {}, t('methods.screening.date')),
        h('li', {}, t('methods.screening.scope')),
        h('li', {}, t('methods.screening.binding')),
        h('li', {}, t('methods.screening.eu')),
      ),
      h('p', { class: 'muted' }, t('methods.readMore'), ' ', docs('docs/methods/embargo-screening.md')),
    ),
    h(
      'section',
      { id: 'dossier', class: 'panel', 'aria-labelledby': 'm-dos-h', tabindex: -1 },
      h('h2', { id: 'm-dos-h' }, t('methods.dossier.heading')),
      h('p', {}, t('methods.dossier.intro')),
      h(
        'dl',
        { class: 'definitions' },
        ...LEVELS.map((l) =>
          h('div', {}, h('dt', {}, levelBadge(l)), h('dd', {}, t(`methods.dossier.${l}` as MessageKey))),
        ),
      ),
      h('p', {}, t('methods.dossier.notAssessed')),
      h('p', { class: 'muted' }, t('methods.readMore'), ' ', docs('docs/methods/risk-dossier.md')),
    ),
    h(
      'section',
      { id: 'coverage', class: 'panel', 'aria-labelledby': 'm-cov-h', tabindex: -1 },
      h('h2', { id: 'm-cov-h' }, t('methods.coverage.heading')),
      h('p', {}, t('methods.coverage.intro')),
      h(
        'ul',
        {},
        h('li', {}, t('methods.coverage.split')),
        h('li', {}, t('methods.coverage.buckets')),
        h('li', {}, t('methods.coverage.others')),
      ),
      h('p', { class: 'muted' }, t('methods.readMore'), ' ', docs('docs/methods/treaty-coverage.md')),
    ),
    h(
      'section',
      { id: 'reporting', class: 'panel', 'aria-labelledby': 'm-rep-h', tabindex: -1 },
      h('h2', { id: 'm-rep-h' }, t('methods.reporting.heading')),
      h('p', {}, t('methods.reporting.intro')),
      h(
        'dl',
        { class: 'definitions' },
        ...(
          ['not_yet_due', 'due', 'deadline_passed', 'on_time', 'within_grace', 'late', 'missing'] as const
        ).map((s) =>
          h(
            'div',
            {},
            h('dt', {}, t(`obligation.status.${s}` as MessageKey)),
            h('dd', {}, t(`methods.reporting.${s}` as MessageKey)),
          ),
        ),
      ),
      h('p', {}, t('methods.reporting.rate')),
      h('p', { class: 'muted' }, t('methods.readMore'), ' ', docs('docs/methods/compliance.md')),
    ),
    h(
      'section',
      { id: 'score', class: 'panel', 'aria-labelledby': 'm-score-h', tabindex: -1 },
      h('h2', { id: 'm-score-h' }, t('methods.score.heading')),
      h('p', {}, t('methods.score.intro')),
      h('p', {}, t('methods.score.mirror')),
      h(
        'p',
        { class: 'muted' },
        t('methods.readMore'),
        ' ',
        docs('docs/transparency-rubric.md'),
        ', ',
        docs('docs/methods/mirror.md'),
      ),
    ),
  );

  async function load(): Promise<void> {
    try {
      const [datasets, imports] = await Promise.all([
        fetchList('/v1/datasets', { _size: 1000 }, normaliseDataset),
        fetchList('/v1/imports', { _size: 1000 }, normaliseImportRun).catch(() => null),
      ]);
      if (destroyed) return;
      sourcesSlot.setAttribute('aria-busy', 'false');
      replaceChildren(
        sourcesSlot,
        datasetsTable(datasets.rows),
        dataActions({
          title: t('methods.sources.caption'),
          csv: { href: csvHref('/v1/datasets', { _size: 1000 }) },
          meta: datasets.meta,
        }),
      );
      replaceChildren(
        importsSlot,
        imports
          ? importsTable(imports.rows, imports.meta)
          : h('p', { class: 'muted' }, t('profile.notAvailable')),
      );
    } catch (err) {
      if (destroyed) return;
      sourcesSlot.setAttribute('aria-busy', 'false');
      replaceChildren(
        sourcesSlot,
        errorMessage(asApiError(err), () => void load()),
      );
    }
  }

  setDocumentTitle(t('methods.title'));
  void load();
  return {
    element,
    update(next) {
      if (next.hash) document.getElementById(decodeURIComponent(next.hash.slice(1)))?.focus();
      return true;
    },
    destroy() {
      destroyed = true;
    },
  };
}

function datasetsTable(rows: readonly Dataset[]): HTMLElement {
  const english = textLang() === 'en' ? null : 'en';
  return dataTable({
    caption: t('methods.sources.caption'),
    className: 'data-table datasets-table',
    columns: [
      { label: t('methods.col.dataset') },
      { label: t('methods.col.source') },
      { label: t('methods.col.licence') },
      { label: t('methods.col.asAt') },
    ],
    rows: rows.map((d): Child[] => [
      h('span', { class: 'code' }, d.dataset),
      h(
        'span',
        { lang: english },
        d.source,
        d.notes ? h('span', { class: 'muted small block' }, d.notes) : null,
      ),
      d.licence ? h('span', { lang: english }, d.licence) : emptyValue(),
      dateCell(d.asAt),
    ]),
  });
}

function importsTable(rows: readonly ImportRun[], meta: Meta): HTMLElement {
  if (rows.length === 0) return h('p', {}, t('methods.imports.none'));
  return h(
    'div',
    {},
    dataTable({
      caption: t('methods.imports.caption'),
      className: 'data-table imports-table',
      columns: [
        { label: t('methods.col.source') },
        { label: t('methods.col.file') },
        { label: t('methods.col.imported') },
        { label: t('methods.col.accepted'), numeric: true },
        { label: t('methods.col.quarantined'), numeric: true },
      ],
      rows: rows.map((r) => [
        h('span', { class: 'code' }, r.source),
        h(
          'span',
          {},
          r.fileName ?? '',
          r.fileSha256
            ? h('span', { class: 'code block', title: r.fileSha256 }, `sha256 ${r.fileSha256.slice(0, 12)}…`)
            : null,
        ),
        r.importedAt ? formatInstant(r.importedAt) : emptyValue(),
        r.accepted === null ? emptyValue() : formatNumber(r.accepted),
        r.quarantined === null ? emptyValue() : formatNumber(r.quarantined),
      ]),
    }),
    dataActions({
      title: t('methods.imports.caption'),
      csv: { href: csvHref('/v1/imports', { _size: 1000 }) },
      meta,
    }),
  );
}
