/**
 * The State reporting workflow (ATT Art. 13) in the web app:
 * - `/reporting`: an officer's desk: the State's obligations from the reporting calendar, drafts, submitted reports,
 *   start a draft or an amendment (the Secretariat chooses the State);
 * - `/reporting/drafts/{id}`: the draft editor: title page, Exports and Imports tables, upload of the template, nil
 *   report in one click, per-form visibility, withheld flags, validation after every save, submit with confirmation;
 * - `/reporting/record`: the Secretariat records a report received outside the system (POST /v1/reports).
 * Text typed by users is always set as text, never as HTML.
 */
import { ApiError, getJson, isObject, str, type Json } from '../api/client.js';
import { currentSession, send, type SessionInfo } from '../api/session.js';
import { h, replaceChildren, uid } from '../components/dom.js';
import { t, tMaybe } from '../i18n/index.js';
import { navigate, setDocumentTitle, type Page } from '../router.js';
import { reportHref } from './report.js';

type Cell = string | number | boolean | null | string[];
type Row = Record<string, Cell>;
interface AnnualContent {
  format?: string;
  formatVersion?: number;
  title: Record<string, Cell>;
  exports: Row[];
  imports: Row[];
}
interface Issue {
  severity: string;
  message: string;
  sheet: string | null;
  row: number | null;
}

const FORMS = ['exports', 'imports'] as const;
type Form = (typeof FORMS)[number];
const COLUMNS = ['category', 'subcategory', 'partner', 'numberOfItems', 'value', 'currency', 'description', 'comments', 'basis', 'endUser', 'endUse'] as const;

function describe(error: unknown): string {
  return error instanceof ApiError ? `${error.message}${error.hint ? ` (${error.hint})` : ''}` : String(error);
}

function status(): HTMLElement {
  return h('p', { class: 'form-status', role: 'status', 'aria-live': 'polite' });
}

function signedInOrRedirect(path: string, render: (session: SessionInfo) => void): void {
  void currentSession().then((session) => {
    if (session.kind === 'anonymous') navigate(`/sign-in?next=${encodeURIComponent(path)}`, { replace: true });
    else render(session);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The desk

export function reportingDeskPage(url: URL): Page {
  setDocumentTitle(t('reporting.title'));
  const element = h('div', { class: 'page reporting' }, h('h1', { tabindex: -1 }, t('reporting.title')), h('p', {}, t('loading')));
  signedInOrRedirect('/reporting', (session) => {
    const stateId = session.kind === 'state_officer' ? session.stateId : (url.searchParams.get('state') ?? '').toUpperCase();
    const chooser =
      session.kind === 'state_officer'
        ? null
        : (() => {
            const input = h('input', { id: 'desk-state', type: 'text', pattern: '[A-Za-z]{3}', maxlength: 3, value: stateId ?? '', required: true });
            const form = h('form', { class: 'account-form', 'data-form': 'desk-state' }, h('p', { class: 'field' }, h('label', { for: 'desk-state' }, t('reporting.chooseState')), input), h('button', { type: 'submit' }, t('reporting.show')));
            form.addEventListener('submit', (event) => {
              event.preventDefault();
              navigate(`/reporting?state=${encodeURIComponent(input.value.toUpperCase())}`);
            });
            return form;
          })();
    const body = h('div', { class: 'reporting-body' });
    replaceChildren(
      element,
      h('h1', { tabindex: -1 }, t('reporting.title')),
      h('p', { class: 'intro' }, t('reporting.intro')),
      session.kind === 'secretariat' || session.kind === 'admin' ? h('p', {}, h('a', { href: '/reporting/record' }, t('record.title'))) : null,
      chooser,
      body,
    );
    if (stateId && /^[A-Z]{3}$/.test(stateId)) void loadDesk(body, stateId);
  });
  return { element };
}

async function loadDesk(body: HTMLElement, stateId: string): Promise<void> {
  replaceChildren(body, h('p', {}, t('loading')));
  try {
    const [obligations, drafts, reports] = await Promise.all([
      getJson(`/v1/reporting/obligations?state=${stateId}&_size=max`),
      getJson(`/v1/reporting/drafts?stateId=${stateId}`),
      getJson(`/v1/reporting/reports?stateId=${stateId}&_size=max`),
    ]);
    const output = status();
    const start = (kind: string, coveredYear: number | null) => {
      send('POST', '/v1/reporting/drafts', { stateId, kind, ...(coveredYear !== null ? { coveredYear } : {}) })
        .then((answer) => {
          const data = isObject(answer?.data) ? answer.data : {};
          navigate(`/reporting/drafts/${str(data.id) ?? ''}`);
        })
        .catch((error: unknown) => {
          output.textContent = describe(error);
          output.setAttribute('data-error', '');
        });
    };
    const submitted = new Map<string, number>();
    for (const r of (reports.rows as Json[]) ?? []) submitted.set(str(r.id) ?? '', Number(r.versions ?? 0));
    const reportIdOf = (kind: string, year: number | null) => (kind === 'initial' ? `${stateId}-initial` : `${stateId}-annual-${year}`);
    const obligationRows = ((obligations.rows as Json[]) ?? []).slice().reverse();
    const yearInput = h('input', { id: 'start-year', type: 'number', min: 2014, max: 2100, required: true });
    const startForm = h(
      'form',
      { class: 'account-form', 'data-form': 'start-draft' },
      h('p', { class: 'field' }, h('label', { for: 'start-year' }, t('reporting.start.year')), yearInput),
      h('button', { type: 'submit' }, t('reporting.start.annual')),
    );
    startForm.addEventListener('submit', (event) => {
      event.preventDefault();
      start('annual', Number(yearInput.value));
    });
    replaceChildren(
      body,
      h('h2', {}, t('reporting.obligations', { state: stateId })),
      obligationRows.length === 0
        ? h('p', {}, t('reporting.noObligations'))
        : h(
            'table',
            { class: 'data-table', 'data-table': 'obligations' },
            h('caption', {}, t('reporting.obligations', { state: stateId })),
            h('thead', {}, h('tr', {}, ...[t('reporting.col.report'), t('reporting.col.due'), t('reporting.col.status'), t('reporting.col.action')].map((c) => h('th', { scope: 'col' }, c)))),
            h(
              'tbody',
              {},
              ...obligationRows.map((o) => {
                const kind = str(o.kind) ?? 'annual';
                const year = typeof o.coveredYear === 'number' ? o.coveredYear : null;
                const versions = submitted.get(reportIdOf(kind, year)) ?? 0;
                const button = h('button', { type: 'button', 'data-start': `${kind}-${year ?? 'initial'}` }, versions > 0 ? t('reporting.amend') : t('reporting.startDraft'));
                button.addEventListener('click', () => start(kind, year));
                return h(
                  'tr',
                  {},
                  h('td', {}, kind === 'annual' ? t('reporting.annual', { year: String(year) }) : t('obligation.kind.initial')),
                  h('td', {}, str(o.dueDate) ?? ''),
                  h('td', {}, versions > 0 ? t('reporting.submittedVersions', { count: versions }) : tMaybe(`obligation.status.${str(o.status) ?? ''}`, str(o.status) ?? '')),
                  h('td', {}, button),
                );
              }),
            ),
          ),
      startForm,
      output,
      h('h2', {}, t('reporting.drafts')),
      ((drafts.data as Json[]) ?? []).length === 0
        ? h('p', {}, t('reporting.noDrafts'))
        : h(
            'ul',
            { class: 'draft-list' },
            ...((drafts.data as Json[]) ?? []).map((d) =>
              h('li', {}, h('a', { href: `/reporting/drafts/${str(d.id) ?? ''}`, 'data-draft': str(d.id) ?? '' }, draftLabel(d)), ` (${t('reporting.updated', { when: (str(d.updatedAt) ?? '').slice(0, 10) })})`),
            ),
          ),
      h('h2', {}, t('reporting.submitted')),
      ((reports.rows as Json[]) ?? []).filter((r) => Number(r.versions) > 0).length === 0
        ? h('p', {}, t('reporting.noneSubmitted'))
        : h('ul', { class: 'report-list' }, ...((reports.rows as Json[]) ?? []).filter((r) => Number(r.versions) > 0).map((r) => h('li', { 'data-report': str(r.id) ?? '' }, draftLabel(r), ': ', t('reporting.submittedVersions', { count: Number(r.versions) })))),
    );
  } catch (error) {
    replaceChildren(body, h('p', { role: 'alert' }, describe(error)));
  }
}

function draftLabel(d: Json): string {
  const base = d.kind === 'initial' ? t('obligation.kind.initial') : t('reporting.annual', { year: String(d.coveredYear) });
  return typeof d.basedOnVersion === 'number' ? `${base}, ${t('reporting.amendmentOf', { version: d.basedOnVersion })}` : base;
}

// ---------------------------------------------------------------------------------------------------------------
// The draft editor

export function draftPage(url: URL): Page {
  const id = url.pathname.split('/').pop() ?? '';
  setDocumentTitle(t('draft.title'));
  const element = h('div', { class: 'page draft-editor' }, h('h1', { tabindex: -1 }, t('draft.title')), h('p', {}, t('loading')));
  signedInOrRedirect(url.pathname, () => {
    getJson(`/v1/reporting/drafts/${encodeURIComponent(id)}`)
      .then((answer) => {
        const data = answer.data as Json;
        editor(element, id, data.draft as Json, data.validation as Json);
      })
      .catch((error: unknown) => replaceChildren(element, h('h1', { tabindex: -1 }, t('draft.title')), h('p', { role: 'alert' }, describe(error))));
  });
  return { element };
}

function editor(element: HTMLElement, id: string, draft: Json, firstValidation: Json): void {
  const kind = str(draft.kind) ?? 'annual';
  const heading = `${draftLabel(draft)}: ${str(draft.stateId) ?? ''}`;
  setDocumentTitle(heading);
  const output = status();
  const issuesBox = h('section', { class: 'draft-issues', 'aria-labelledby': 'issues-h' });
  const showValidation = (validation: Json) => {
    const issues = ((validation.issues as Issue[]) ?? []).filter((i) => i.severity === 'error' || i.severity === 'warning');
    replaceChildren(
      issuesBox,
      h('h2', { id: 'issues-h' }, t('draft.validation')),
      h('p', { 'data-valid': validation.valid === true ? 'yes' : 'no' }, validation.valid === true ? t('draft.valid') : t('draft.invalid', { count: Number(validation.errors ?? 0) })),
      issues.length > 0 ? h('ul', { class: 'issue-list' }, ...issues.map((i) => h('li', { 'data-severity': i.severity, lang: 'en' }, i.message))) : null,
    );
  };
  showValidation(firstValidation);

  const body = h('div', { class: 'draft-body' });
  const save = async (content: unknown): Promise<void> => {
    output.removeAttribute('data-error');
    try {
      const answer = await send('PUT', `/v1/reporting/drafts/${id}`, { content });
      const data = (answer?.data ?? {}) as Json;
      showValidation(data.validation as Json);
      output.textContent = t('draft.saved');
      output.setAttribute('data-saved', String(Date.now()));
    } catch (error) {
      output.textContent = describe(error);
      output.setAttribute('data-error', '');
    }
  };

  const submitArea = h('div', { class: 'submit-area' });
  const askSubmit = h('button', { type: 'button', 'data-action': 'submit' }, t('draft.submit'));
  askSubmit.addEventListener('click', () => {
    const confirmButton = h('button', { type: 'button', 'data-action': 'confirm-submit' }, t('draft.confirmSubmit'));
    const cancel = h('button', { type: 'button', class: 'secondary' }, t('draft.cancel'));
    cancel.addEventListener('click', () => replaceChildren(submitArea, askSubmit));
    confirmButton.addEventListener('click', () => {
      confirmButton.setAttribute('disabled', '');
      send('POST', `/v1/reporting/drafts/${id}/submit`)
        .then((answer) => {
          const data = (answer?.data ?? {}) as Json;
          navigate(reportHref(str(data.registryEntryId) ?? ''));
        })
        .catch((error: unknown) => {
          output.textContent = describe(error);
          output.setAttribute('data-error', '');
          replaceChildren(submitArea, askSubmit);
        });
    });
    replaceChildren(submitArea, h('p', { role: 'alert' }, t('draft.confirmText')), confirmButton, ' ', cancel);
  });
  submitArea.append(askSubmit);

  replaceChildren(
    element,
    h('nav', { class: 'breadcrumb', 'aria-label': t('state.breadcrumb') }, h('ol', {}, h('li', {}, h('a', { href: '/reporting' }, t('reporting.title'))), h('li', {}, h('span', { 'aria-current': 'page' }, heading)))),
    h('h1', { tabindex: -1 }, heading),
    h('p', { class: 'intro' }, t('draft.intro')),
    body,
    output,
    issuesBox,
    h('section', { 'aria-labelledby': 'submit-h' }, h('h2', { id: 'submit-h' }, t('draft.submitHeading')), h('p', {}, t('draft.submitIntro')), submitArea),
  );
  if (kind === 'initial') initialForm(body, draft.content as Json, save);
  else annualEditor(body, id, draft.content as AnnualContent, save, showValidation);
}

function initialForm(body: HTMLElement, content: Json, save: (content: unknown) => Promise<void>): void {
  const visibility = h('select', { id: 'initial-visibility' }, ...['private', 'public'].map((v) => h('option', { value: v, selected: content.reportVisibility === v }, t(`draft.visibility.${v}` as 'draft.visibility.public'))));
  const summary = h('textarea', { id: 'initial-summary', rows: 8 });
  summary.value = str(content.summary) ?? '';
  const button = h('button', { type: 'button', 'data-action': 'save' }, t('draft.save'));
  button.addEventListener('click', () => void save({ reportVisibility: visibility.value, summary: summary.value }));
  replaceChildren(
    body,
    h('p', { class: 'field' }, h('label', { for: 'initial-visibility' }, t('draft.reportVisibility')), visibility),
    h('p', { class: 'field' }, h('label', { for: 'initial-summary' }, t('draft.summary')), summary),
    button,
  );
}

const yes = (value: Cell | undefined) => value === true || (typeof value === 'string' && ['yes', 'true', 'x', '1', 'oui', 'si'].includes(value.trim().toLowerCase()));

function annualEditor(body: HTMLElement, id: string, initial: AnnualContent, save: (content: unknown) => Promise<void>, showValidation: (v: Json) => void): void {
  let content: AnnualContent = structuredClone(initial);
  const render = () => {
    const title = content.title;
    const text = (key: string, label: string) => {
      const inputId = uid(`title-${key}`);
      const input = h('input', { id: inputId, type: 'text', 'data-title': key, value: title[key] === null || title[key] === undefined ? '' : String(title[key]) });
      input.addEventListener('change', () => (title[key] = input.value.trim() === '' ? null : input.value.trim()));
      return h('p', { class: 'field' }, h('label', { for: inputId }, label), input);
    };
    const formSection = (form: Form) => {
      const included = title[`${form}Included`] === undefined ? true : yes(title[`${form}Included`]);
      const nil = yes(title[`${form}NilReport`]);
      const checkbox = (key: string, label: string) => {
        const inputId = uid(`${form}-${key}`);
        const input = h('input', { id: inputId, type: 'checkbox', 'data-title': `${form}${key}`, checked: yes(title[`${form}${key}`]) });
        input.addEventListener('change', () => (title[`${form}${key}`] = input.checked));
        return h('p', { class: 'field checkbox' }, input, ' ', h('label', { for: inputId }, label));
      };
      const visibilityId = uid(`${form}-visibility`);
      const visibility = h('select', { id: visibilityId, 'data-visibility': form }, ...['private', 'public'].map((v) => h('option', { value: v, selected: String(title[`${form}Visibility`] ?? 'private') === v }, t(`draft.visibility.${v}` as 'draft.visibility.public'))));
      visibility.addEventListener('change', () => (title[`${form}Visibility`] = visibility.value));
      const basisId = uid(`${form}-basis`);
      const basisValue = Array.isArray(title[`${form}Basis`]) ? (title[`${form}Basis`] as string[]).join(' and ') : String(title[`${form}Basis`] ?? '');
      const basis = h('select', { id: basisId, 'data-basis': form }, ...['', 'actual', 'authorised', 'authorised and actual'].map((v) => h('option', { value: v, selected: basisValue === v }, v === '' ? t('draft.basis.perRow') : tMaybe(`draft.basis.${v.replace(/ /g, '-')}`, v))));
      basis.addEventListener('change', () => (title[`${form}Basis`] = basis.value === '' ? null : basis.value));
      const includedId = uid(`${form}-included`);
      const includedBox = h('input', { id: includedId, type: 'checkbox', checked: included });
      includedBox.addEventListener('change', () => {
        title[`${form}Included`] = includedBox.checked;
        render();
      });
      const nilButton = h('button', { type: 'button', 'data-nil': form }, t('draft.nil', { form: t(`report.form.${form}` as 'report.form.exports') }));
      nilButton.addEventListener('click', () => {
        // ATT Art. 13(3) nil report: the form is included and says there was nothing; its rows would be quarantined.
        if (content[form].length > 0 && !window.confirm(t('draft.nilConfirm'))) return;
        title[`${form}Included`] = true;
        title[`${form}NilReport`] = true;
        content[form] = [];
        render();
        void save(content);
      });
      const headingId = uid(`${form}-h`);
      return h(
        'section',
        { class: 'card draft-form', 'data-form-section': form, 'aria-labelledby': headingId },
        h('h2', { id: headingId }, t(`report.form.${form}` as 'report.form.exports')),
        h('p', { class: 'field checkbox' }, includedBox, ' ', h('label', { for: includedId }, t('draft.included'))),
        nil ? h('p', { 'data-nil-report': form }, t('draft.isNil')) : nilButton,
        nil ? checkbox('NilReport', t('draft.nilReport')) : null,
        h('p', { class: 'field' }, h('label', { for: visibilityId }, t('draft.visibility')), visibility),
        h('p', { class: 'field' }, h('label', { for: basisId }, t('draft.basis')), basis),
        checkbox('WithheldCommerciallySensitive', t('draft.withheldCs')),
        checkbox('WithheldNationalSecurity', t('draft.withheldNs')),
        included && !nil ? rowsTable(form) : null,
      );
    };
    const rowsTable = (form: Form) => {
      const rows = content[form];
      const add = h('button', { type: 'button', 'data-add-row': form }, t('draft.addRow'));
      add.addEventListener('click', () => {
        rows.push({});
        render();
      });
      return h(
        'div',
        { class: 'table-scroll' },
        h(
          'table',
          { class: 'data-table draft-rows', 'data-rows': form },
          h('caption', {}, t('draft.rowsCaption', { form: t(`report.form.${form}` as 'report.form.exports') })),
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '#'), ...COLUMNS.map((c) => h('th', { scope: 'col' }, t(`draft.col.${c}` as 'draft.col.category'))), h('th', { scope: 'col' }, t('draft.col.action')))),
          h(
            'tbody',
            {},
            ...rows.map((row, index) => {
              const remove = h('button', { type: 'button', class: 'secondary', 'data-remove-row': `${form}-${index + 1}`, 'aria-label': t('draft.removeRow', { row: index + 1 }) }, '×');
              remove.addEventListener('click', () => {
                rows.splice(index, 1);
                render();
              });
              return h(
                'tr',
                { 'data-row': String(index + 1) },
                h('th', { scope: 'row' }, String(index + 1)),
                ...COLUMNS.map((column) => {
                  const value = row[column];
                  const input = h('input', {
                    type: 'text',
                    name: `${form}-${index + 1}-${column}`,
                    'aria-label': `${t(`draft.col.${column}` as 'draft.col.category')}, ${t('draft.rowN', { row: index + 1 })}`,
                    value: value === null || value === undefined ? '' : Array.isArray(value) ? value.join('; ') : String(value),
                  });
                  input.addEventListener('change', () => {
                    if (input.value.trim() === '') delete row[column];
                    else row[column] = input.value.trim();
                  });
                  return h('td', {}, input);
                }),
                h('td', {}, remove),
              );
            }),
          ),
        ),
        add,
      );
    };
    const saveButton = h('button', { type: 'button', 'data-action': 'save' }, t('draft.save'));
    saveButton.addEventListener('click', () => void save(content));
    replaceChildren(
      body,
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'title-h' },
        h('h2', { id: 'title-h' }, t('draft.titlePage')),
        text('defaultCurrency', t('draft.defaultCurrency')),
        text('nationalDefinitionExport', t('draft.definitionExport')),
        text('nationalDefinitionImport', t('draft.definitionImport')),
      ),
      ...FORMS.map(formSection),
      saveButton,
      uploadSection(),
    );
  };
  const uploadSection = () => {
    const input = h('input', { id: 'draft-upload', type: 'file', accept: '.xlsx,.csv,.json' });
    const output = status();
    const button = h('button', { type: 'button', 'data-action': 'upload' }, t('draft.upload'));
    button.addEventListener('click', () => {
      const file = input.files?.[0];
      if (!file) {
        output.textContent = t('draft.chooseFile');
        return;
      }
      const form = new FormData();
      form.append('file', file, file.name);
      send('POST', `/v1/reporting/drafts/${id}/upload`, form)
        .then((answer) => {
          const data = (answer?.data ?? {}) as Json;
          content = structuredClone((data.draft as Json).content as AnnualContent);
          render();
          showValidation(data.validation as Json);
          const status = document.querySelector('.draft-upload .form-status');
          if (status) {
            status.textContent = t('draft.uploaded', { file: file.name });
            status.setAttribute('data-uploaded', '');
          }
        })
        .catch((error: unknown) => {
          output.textContent = describe(error);
          output.setAttribute('data-error', '');
        });
    });
    return h(
      'section',
      { class: 'card draft-upload', 'aria-labelledby': 'upload-h' },
      h('h2', { id: 'upload-h' }, t('draft.uploadHeading')),
      h('p', {}, t('draft.uploadIntro')),
      h('p', { class: 'field' }, h('label', { for: 'draft-upload' }, t('draft.file')), input),
      button,
      output,
      h(
        'p',
        {},
        t('draft.export'),
        ' ',
        ...(['xlsx', 'csv', 'json'] as const).flatMap((format) => [h('a', { href: `/v1/reporting/drafts/${id}/export?format=${format}`, download: '' }, format.toUpperCase()), ' ']),
      ),
    );
  };
  render();
}

// ---------------------------------------------------------------------------------------------------------------
// Version history on the report page

/** The workflow report a registry entry belongs to: its version history, if the report was submitted here. */
export async function versionHistory(entry: { stateId: string; kind: string; coveredYear: number | null }, currentEntryId: string): Promise<HTMLElement | null> {
  const reportId = entry.coveredYear === null ? `${entry.stateId}-initial` : `${entry.stateId}-annual-${entry.coveredYear}`;
  let data: Json;
  try {
    data = (await getJson(`/v1/reporting/reports/${reportId}`)).data as Json;
  } catch {
    return null;
  }
  const versions = (data.versions as Json[]) ?? [];
  if (versions.length === 0) return null;
  return h(
    'section',
    { class: 'report-history', 'aria-labelledby': 'history-h' },
    h('h2', { id: 'history-h' }, t('history.title')),
    versions.length > 1 ? h('p', { 'data-amended': '' }, t('history.amended')) : null,
    h(
      'table',
      { class: 'data-table', 'data-table': 'history' },
      h('caption', {}, t('history.caption')),
      h('thead', {}, h('tr', {}, ...[t('history.col.version'), t('history.col.submitted'), t('history.col.status')].map((c) => h('th', { scope: 'col' }, c)))),
      h(
        'tbody',
        {},
        ...versions.map((v) => {
          const entryId = str(v.registryEntryId) ?? '';
          const label = t('history.version', { version: Number(v.version) });
          return h(
            'tr',
            { 'data-version': String(v.version) },
            h('td', {}, entryId === currentEntryId ? h('span', { 'aria-current': 'page' }, label) : h('a', { href: reportHref(entryId) }, label)),
            h('td', {}, (str(v.submittedAt) ?? '').slice(0, 10)),
            h('td', {}, typeof v.supersededBy === 'number' ? t('history.supersededBy', { version: v.supersededBy }) : t('history.current')),
          );
        }),
      ),
    ),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// The Secretariat records a report received outside the system

export function recordReportPage(): Page {
  setDocumentTitle(t('record.title'));
  const element = h('div', { class: 'page record-report' }, h('h1', { tabindex: -1 }, t('record.title')), h('p', {}, t('loading')));
  signedInOrRedirect('/reporting/record', (session) => {
    if (session.kind !== 'secretariat' && session.kind !== 'admin') {
      replaceChildren(element, h('h1', { tabindex: -1 }, t('record.title')), h('p', { role: 'alert' }, t('record.onlySecretariat')));
      return;
    }
    const field = (idText: string, label: string, control: HTMLElement) => h('p', { class: 'field' }, h('label', { for: idText }, label), control);
    const state = h('input', { id: 'record-state', type: 'text', required: true, pattern: '[A-Za-z]{3}', maxlength: 3 });
    const kind = h('select', { id: 'record-kind' }, ...['annual', 'initial', 'update'].map((k) => h('option', { value: k }, tMaybe(`record.kind.${k}`, k))));
    const year = h('input', { id: 'record-year', type: 'number', min: 2014, max: 2100 });
    const date = h('input', { id: 'record-date', type: 'date' });
    const formSelect = (form: Form) =>
      h('select', { id: `record-${form}` }, ...['not-recorded', 'not-included', 'public', 'private', 'public-nil', 'private-nil'].map((v) => h('option', { value: v }, t(`record.form.${v}` as 'record.form.public'))));
    const exportsSelect = formSelect('exports');
    const importsSelect = formSelect('imports');
    const visibility = h('select', { id: 'record-visibility' }, h('option', { value: '' }, t('record.form.not-recorded')), h('option', { value: 'public' }, t('draft.visibility.public')), h('option', { value: 'private' }, t('draft.visibility.private')));
    const sourceUrl = h('input', { id: 'record-url', type: 'url' });
    const notes = h('textarea', { id: 'record-notes', rows: 3 });
    const output = status();
    const form = h(
      'form',
      { class: 'account-form', 'data-form': 'record-report' },
      field('record-state', t('account.invite.state'), state),
      field('record-kind', t('record.kind'), kind),
      field('record-year', t('record.year'), year),
      field('record-date', t('record.date'), date),
      field('record-exports', t('report.form.exports'), exportsSelect),
      field('record-imports', t('report.form.imports'), importsSelect),
      field('record-visibility', t('record.initialVisibility'), visibility),
      field('record-url', t('record.url'), sourceUrl),
      field('record-notes', t('record.notes'), notes),
      h('button', { type: 'submit' }, t('record.submit')),
      output,
    );
    const formStatus = (value: string) => {
      if (value === 'not-recorded') return undefined;
      if (value === 'not-included') return null;
      return { visibility: value.startsWith('public') ? 'public' : 'private', nil: value.endsWith('-nil'), withheldCommerciallySensitive: null, withheldNationalSecurity: null };
    };
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const annualLike = year.value !== '';
      const body: Json = {
        stateId: state.value.toUpperCase(),
        kind: kind.value,
        coveredYear: annualLike ? Number(year.value) : null,
        submittedOn: date.value || null,
        sourceUrl: sourceUrl.value || null,
        notes: notes.value || null,
      };
      if (annualLike) {
        const e = formStatus(exportsSelect.value);
        const i = formStatus(importsSelect.value);
        if (e !== undefined) body.exports = e;
        if (i !== undefined) body.imports = i;
      } else if (visibility.value) body.reportVisibility = visibility.value;
      output.removeAttribute('data-error');
      send('POST', '/v1/reports', body)
        .then((answer) => {
          const data = (answer?.data ?? {}) as Json;
          replaceChildren(output, t('record.recorded'), ' ', h('a', { href: reportHref(str(data.id) ?? ''), 'data-recorded': str(data.id) ?? '' }, str(data.id) ?? ''));
        })
        .catch((error: unknown) => {
          output.textContent = describe(error);
          output.setAttribute('data-error', '');
        });
    });
    replaceChildren(element, h('h1', { tabindex: -1 }, t('record.title')), h('p', { class: 'intro' }, t('record.intro')), form);
  });
  return { element };
}
