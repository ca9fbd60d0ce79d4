/**
 * `/reports/{id}`: one ATT report from the registry: when it was submitted, the status of each form, its transparency
 * score with every criterion and its reason (points lost marked in words and colour), and the rows of its public
 * forms with their provenance (file and row).
 */
import { isObject, str, type Json } from '../api/client.js';
import {
  asApiError,
  fetchData,
  fetchEntities,
  isAbort,
  nameOf,
  normaliseTransfer,
  num,
  type Entity,
  type Transfer,
} from '../api/data.js';
import type { Meta } from '../api/types.js';
import { annotationsSection, type AnnotatableRow } from '../components/annotations.js';
import { dataActions } from '../components/data-actions.js';
import { h, replaceChildren, uid, type Child } from '../components/dom.js';
import { errorMessage } from '../components/error-box.js';
import { notice } from '../components/notice.js';
import { sourceNote } from '../components/source-note.js';
import { dataTable } from '../components/table.js';
import { dateCell, emptyValue } from '../components/time.js';
import { formatNumber, t, tMaybe, textLang } from '../i18n/index.js';
import { setDocumentTitle, type Page } from '../router.js';
import type { Cell } from '../state/csv.js';
import { stateHref } from '../state/state-page-state.js';
import { notFoundPage } from './not-found.js';

/** The report page's path for a registry id (ids hold colons: always encoded). */
export function reportHref(id: string): string {
  return `/reports/${encodeURIComponent(id)}`;
}

/** The registry id in a `/reports/{id}` path, or null. */
export function parseReportPath(pathname: string): string | null {
  const match = /^\/reports\/([^/]+)\/?$/.exec(pathname);
  if (!match) return null;
  try {
    return decodeURIComponent(match[1]!);
  } catch {
    return null;
  }
}

interface FormEntry {
  visibility: string | null;
  nil: boolean;
  withheld: boolean | null;
}

interface Finding {
  form: string | null;
  message: string;
  rows: number[];
}

interface Criterion {
  id: string;
  label: string;
  points: number;
  maxPoints: number;
  applicable: boolean;
  reason: string;
  findings: Finding[];
}

interface ReportScore {
  rubricVersion: string | null;
  score: number;
  maxScore: number;
  criteria: Criterion[];
}

interface ReportDetail {
  id: string;
  stateId: string;
  kind: string;
  coveredYear: number | null;
  submittedOn: string | null;
  exports: FormEntry | null;
  imports: FormEntry | null;
  formsRecorded: boolean;
  sourceUrl: string | null;
  rows: ReportRow[];
  /** The stored id of each row (same order): questions and annotations name a row by it. */
  rowIds: (number | null)[];
  score: ReportScore | null;
}

type ReportRow = Transfer & {
  partnerAggregated: boolean;
  subcategoryCode: string | null;
  endUser: string | null;
  endUse: string | null;
};

const FORMS = ['exports', 'imports'] as const;

function formEntry(value: unknown): FormEntry | null {
  if (!isObject(value)) return null;
  const flags = [value.withheldCommerciallySensitive, value.withheldNationalSecurity, value.withheld];
  const withheld = flags.some((f) => f === true) ? true : flags.some((f) => f === false) ? false : null;
  return { visibility: str(value.visibility), nil: value.nil === true || value.nilReport === true, withheld };
}

function normaliseDetail(data: Json): ReportDetail {
  const entry = isObject(data.entry) ? data.entry : {};
  const score = isObject(data.score) ? data.score : null;
  return {
    id: str(entry.id) ?? '',
    stateId: str(entry.stateId) ?? '',
    kind: str(entry.kind) ?? '',
    coveredYear: num(entry.coveredYear),
    submittedOn: str(entry.submittedOn),
    exports: formEntry(entry.exports),
    imports: formEntry(entry.imports),
    formsRecorded: entry.formsRecorded !== false,
    sourceUrl: str(entry.sourceUrl),
    rows: (Array.isArray(data.rows) ? data.rows.filter(isObject) : []).map((row) => ({
      ...normaliseTransfer(row),
      partnerAggregated: row.partnerAggregated === true,
      subcategoryCode: str(row.subcategoryCode),
      endUser: str(row.endUser),
      endUse: str(row.endUse),
    })),
    rowIds: Array.isArray(data.rowIds) ? data.rowIds.map((id) => num(id)) : [],
    score:
      score && num(score.score) !== null && num(score.maxScore) !== null
        ? {
            rubricVersion: str(score.rubricVersion),
            score: num(score.score)!,
            maxScore: num(score.maxScore)!,
            criteria: (Array.isArray(score.criteria) ? score.criteria.filter(isObject) : []).map((c) => ({
              id: str(c.id) ?? '',
              label: str(c.label) ?? str(c.id) ?? '',
              points: num(c.points) ?? 0,
              maxPoints: num(c.maxPoints) ?? 0,
              applicable: c.applicable !== false,
              reason: str(c.reason) ?? '',
              findings: (Array.isArray(c.findings) ? c.findings.filter(isObject) : []).map((f) => ({
                form: str(f.form),
                message: str(f.message) ?? '',
                rows: (Array.isArray(f.rows) ? f.rows.filter(isObject) : [])
                  .map((r) => num(r.sourceRow))
                  .filter((n): n is number => n !== null),
              })),
            })),
          }
        : null,
  };
}

/** English text from the API (reasons, findings, comments) is marked as English when the page is in another language. */
const apiText = (text: string) => h('span', { lang: textLang() === 'en' ? null : 'en' }, text);

const formName = (form: string | null) => (form ? tMaybe(`report.form.${form}`, form) : '');

export function reportPage(url: URL): Page {
  const id = parseReportPath(url.pathname) ?? '';
  const controller = new AbortController();
  const heading = h('h1', { tabindex: -1 }, t('report.heading'));
  const crumbs = h('nav', { class: 'breadcrumb', 'aria-label': t('state.breadcrumb') });
  const body = h('div', { class: 'report-body', 'aria-busy': 'true' }, h('p', {}, t('loading')));
  const element = h(
    'div',
    { class: 'page report-page' },
    crumbs,
    h('header', { class: 'page-header' }, heading),
    body,
  );
  setDocumentTitle(t('report.heading'));

  async function load(): Promise<void> {
    body.setAttribute('aria-busy', 'true');
    try {
      const [answer, entities] = await Promise.all([
        fetchData(`/v1/reports/${encodeURIComponent(id)}`, {}, controller.signal, '/v1/reports/{id}'),
        fetchEntities().catch(() => null),
      ]);
      if (controller.signal.aborted) return;
      show(normaliseDetail(answer.data), answer.meta, entities);
    } catch (err) {
      if (controller.signal.aborted || isAbort(err)) return;
      const apiError = asApiError(err);
      body.setAttribute('aria-busy', 'false');
      if (apiError.status === 404) {
        const missing = notFoundPage(url);
        element.replaceChildren(...missing.element.childNodes);
        element.className = 'page not-found';
        return;
      }
      heading.textContent = t('error.title');
      setDocumentTitle(heading.textContent);
      replaceChildren(
        body,
        errorMessage(apiError, () => void load()),
      );
    }
  }

  function show(report: ReportDetail, meta: Meta, entities: Map<string, Entity> | null): void {
    const stateName = nameOf(entities, report.stateId);
    const reportName =
      report.kind === 'annual' && report.coveredYear !== null
        ? t('profile.reports.annual', { year: String(report.coveredYear) })
        : tMaybe(`obligation.kind.${report.kind}`, report.kind);
    const title = t('report.title', { name: stateName, report: reportName });
    heading.textContent = title;
    setDocumentTitle(title);
    replaceChildren(
      crumbs,
      h(
        'ol',
        {},
        h('li', {}, h('a', { href: stateHref(report.stateId, null) }, stateName)),
        h('li', {}, h('span', { 'aria-current': 'page' }, reportName)),
      ),
    );

    const facts = h(
      'dl',
      { class: 'facts report-facts' },
      fact(t('profile.reports.col.submitted'), dateCell(report.submittedOn, 'long')),
      ...FORMS.map((form) =>
        fact(
          t(form === 'exports' ? 'profile.reports.col.exports' : 'profile.reports.col.imports'),
          formStatus(report, form),
        ),
      ),
      report.sourceUrl
        ? fact(t('report.sourceUrl'), h('a', { href: report.sourceUrl, rel: 'noopener' }, report.sourceUrl))
        : null,
    );

    replaceChildren(
      body,
      h(
        'section',
        { class: 'card report-summary', 'aria-labelledby': 'report-summary-h' },
        h('h2', { id: 'report-summary-h' }, t('report.summary')),
        facts,
      ),
      scoreSection(report),
      rowsSection(report, title, meta, entities),
      annotationsSection({ reportId: report.id, stateName, rows: annotatableRows(report, entities) }),
      sourceNote(meta),
    );
    body.setAttribute('aria-busy', 'false');
    // Reports submitted in the reporting workflow have versions: show the history (amendments, what replaced what).
    void import('./reporting.js')
      .then((m) => m.versionHistory(report, report.id))
      .then((history) => {
        if (history && !controller.signal.aborted) body.insertBefore(history, body.children[1] ?? null);
      });
  }

  void load();

  return {
    element,
    update(next) {
      return parseReportPath(next.pathname) === id;
    },
    destroy() {
      controller.abort();
    },
  };
}

/** The report's rows as targets of questions: only rows of public forms can be annotated (ATT Art. 13(3)). */
function annotatableRows(report: ReportDetail, entities: Map<string, Entity> | null): AnnotatableRow[] {
  return report.rows.flatMap((row, index) => {
    const id = report.rowIds[index];
    if (id === null || id === undefined) return [];
    const form = row.provenance.sheet?.toLowerCase() ?? null;
    const status = form === 'exports' || form === 'imports' ? report[form] : null;
    const partner = (stateId: string | null) =>
      stateId ? nameOf(entities, stateId) : row.partnerAggregated ? t('report.rows.aggregated') : '?';
    const where = row.provenance.row !== null ? t('report.rows.row', { row: row.provenance.row }) : '';
    const label = `${formName(form)} ${where}: ${partner(row.exporterId)} → ${partner(row.importerId)}${row.categoryCode ? ` (${row.categoryCode})` : ''}`;
    return [{ id, row: row.provenance.row, label: label.trim(), public: status?.visibility === 'public' }];
  });
}

function fact(label: string, value: Child): HTMLElement {
  return h('div', {}, h('dt', {}, label), h('dd', {}, value));
}

function formStatus(report: ReportDetail, form: 'exports' | 'imports'): Child {
  if (!report.formsRecorded) return h('span', { class: 'muted' }, t('profile.reports.form.notRecorded'));
  const status = report[form];
  if (!status) return t('profile.reports.form.notIncluded');
  const bits: string[] = [];
  if (status.visibility === 'private') bits.push(t('report.form.private'));
  else bits.push(tMaybe(`visibility.${status.visibility}`, status.visibility ?? ''));
  if (status.nil) bits.push(t('profile.reports.form.nil'));
  if (status.withheld) bits.push(t('profile.reports.form.withheld'));
  return h(
    'span',
    { class: 'form-status', 'data-form': form, 'data-visibility': status.visibility ?? '' },
    bits.filter(Boolean).join(', '),
  );
}

function scoreSection(report: ReportDetail): HTMLElement {
  const headingId = uid('score-h');
  const section = h(
    'section',
    { class: 'report-score', 'aria-labelledby': headingId },
    h('h2', { id: headingId }, t('profile.reports.col.score')),
  );
  const score = report.score;
  if (!score) {
    section.append(notice('info', h('p', {}, t('report.score.none'))));
    return section;
  }
  section.append(
    h(
      'p',
      { class: 'score-total' },
      h('span', { class: 'score-value', 'data-score': score.score }, formatNumber(score.score)),
      ' ',
      h('span', { class: 'score-max' }, t('report.score.outOf', { max: formatNumber(score.maxScore) })),
    ),
    h(
      'p',
      { class: 'muted' },
      t('report.score.rubric', { version: score.rubricVersion ?? '' }),
      ' ',
      h('code', { class: 'doc-path' }, 'docs/transparency-rubric.md'),
    ),
    h(
      'ol',
      { class: 'criteria-list' },
      ...score.criteria.map((c) => {
        const lost = c.points < c.maxPoints;
        return h(
          'li',
          { class: lost ? 'criterion lost' : 'criterion', 'data-criterion': c.id },
          h(
            'div',
            { class: 'criterion-head' },
            h('strong', { class: 'criterion-label' }, apiText(c.label)),
            h(
              'span',
              { class: 'criterion-points' },
              t('report.criterion.points', {
                points: formatNumber(c.points),
                max: formatNumber(c.maxPoints),
              }),
            ),
            lost
              ? h(
                  'span',
                  { class: 'criterion-lost' },
                  t('report.criterion.lost', { lost: formatNumber(c.maxPoints - c.points) }),
                )
              : null,
            c.applicable ? null : h('span', { class: 'muted' }, t('report.criterion.notApplicable')),
          ),
          h('p', { class: 'criterion-reason' }, apiText(c.reason)),
          c.findings.length > 0
            ? h(
                'ul',
                { class: 'findings', 'aria-label': t('report.findings', { label: c.label }) },
                ...c.findings.map((f) =>
                  h(
                    'li',
                    { 'data-form': f.form },
                    apiText(f.message),
                    f.rows.length > 0
                      ? h(
                          'span',
                          { class: 'finding-rows' },
                          ` (${t('report.findingRows', { rows: f.rows.join(', ') })})`,
                        )
                      : null,
                  ),
                ),
              )
            : null,
        );
      }),
    ),
  );
  return section;
}

function rowsSection(
  report: ReportDetail,
  title: string,
  meta: Meta,
  entities: Map<string, Entity> | null,
): HTMLElement {
  const headingId = uid('rows-h');
  const section = h(
    'section',
    { class: 'report-rows', 'aria-labelledby': headingId },
    h('h2', { id: headingId }, t('report.rows.heading')),
    h('p', { class: 'intro' }, t('report.rows.intro')),
  );
  if (report.rows.length === 0) {
    section.append(notice('info', h('p', {}, t('report.rows.none'))));
    return section;
  }
  const caption = t('report.rows.caption', { title });
  const value = (row: Transfer): Child =>
    row.value !== null
      ? `${formatNumber(Number(row.value))}${row.currency ? ` ${row.currency}` : ''}`
      : missing(row.valueMissingReason);
  const partner = (row: ReportRow, id: string | null): string =>
    id ? nameOf(entities, id) : row.partnerAggregated ? t('report.rows.aggregated') : '';
  section.append(
    dataTable({
      caption,
      className: 'data-table report-rows-table',
      columns: [
        { label: t('report.rows.col.form') },
        { label: t('transfers.col.exporter') },
        { label: t('transfers.col.importer') },
        { label: t('report.rows.col.category') },
        { label: t('report.rows.col.description') },
        { label: t('transfers.col.items'), numeric: true },
        { label: t('transfers.col.value'), numeric: true },
        { label: t('report.rows.col.endUser') },
        { label: t('report.rows.col.comments') },
        { label: t('report.rows.col.provenance'), className: 'provenance-col' },
      ],
      rows: report.rows.map((row) => [
        formName(row.provenance.sheet?.toLowerCase() ?? null) || emptyValue(),
        partner(row, row.exporterId) || emptyValue(),
        partner(row, row.importerId) || emptyValue(),
        [row.categoryCode, row.subcategoryCode].filter(Boolean).join(' / ') || emptyValue(),
        row.description ? apiText(row.description) : emptyValue(),
        row.numberOfItems !== null
          ? formatNumber(row.numberOfItems)
          : missing(row.numberOfItemsMissingReason),
        value(row),
        row.endUser ? apiText(row.endUser) : emptyValue(),
        row.comments ? apiText(row.comments) : emptyValue(),
        provenanceText(row),
      ]),
      rowAttrs: (index) => ({ 'data-row': String(report.rows[index]?.provenance.row ?? '') }),
    }),
  );
  const csv: Cell[][] = [
    [
      'form',
      'exporterId',
      'importerId',
      'categoryCode',
      'subcategoryCode',
      'description',
      'numberOfItems',
      'numberOfItemsMissingReason',
      'value',
      'currency',
      'valueMissingReason',
      'endUser',
      'endUse',
      'comments',
      'fileName',
      'sheet',
      'row',
      'importRunId',
    ],
    ...report.rows.map((row): Cell[] => [
      row.provenance.sheet,
      row.exporterId,
      row.importerId,
      row.categoryCode,
      row.subcategoryCode,
      row.description,
      row.numberOfItems,
      row.numberOfItemsMissingReason,
      row.value,
      row.currency,
      row.valueMissingReason,
      row.endUser,
      row.endUse,
      row.comments,
      row.provenance.fileName,
      row.provenance.sheet,
      row.provenance.row,
      row.provenance.importRunId,
    ]),
  ];
  section.append(dataActions({ title: caption, csv: { rows: csv }, meta }));
  return section;
}

function missing(reason: string | null): Child {
  if (!reason) return emptyValue();
  return h('span', { class: 'empty' }, tMaybe(`missing.${reason}`, reason.replace(/_/g, ' ')));
}

function provenanceText(row: Transfer): Child {
  const p = row.provenance;
  if (!p.fileName && p.row === null) return emptyValue();
  return h(
    'span',
    { class: 'provenance-cell' },
    p.fileName ? h('code', {}, p.fileName) : null,
    p.row !== null ? ` ${t('report.rows.row', { row: p.row })}` : '',
  );
}
