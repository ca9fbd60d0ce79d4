/**
 * `/meetings`: Conferences of States Parties (ATT Art. 17), working groups and preparatory meetings, filtered by kind
 * and year (kept in the URL, so a filtered list can be shared). The Secretariat adds meetings here.
 */
import { currentSession, send } from '../api/session.js';
import { MEETING_KINDS, fetchFresh, normaliseMeeting, type Meeting } from '../api/civil.js';
import { isObject } from '../api/client.js';
import { apiHref, asApiError, isAbort } from '../api/data.js';
import { h, replaceChildren } from '../components/dom.js';
import { errorMessage } from '../components/error-box.js';
import { field, formStatus, select, valueOrNull } from '../components/form.js';
import { notice } from '../components/notice.js';
import { dataTable } from '../components/table.js';
import { dateCell, emptyValue } from '../components/time.js';
import { formatNumber, t, tMaybe } from '../i18n/index.js';
import { navigate, setDocumentTitle, withSticky, type Page } from '../router.js';

export const meetingKindName = (kind: string) => tMaybe(`meetingKind.${kind}`, kind);

/** The fields of a meeting as form controls (also used to edit one on its page). */
export function meetingForm(
  name: string,
  initial: Partial<Meeting>,
  onSubmit: (body: Record<string, unknown>) => Promise<void>,
  submitLabel: string,
): HTMLFormElement {
  const kind = select(
    'kind',
    MEETING_KINDS.map((k) => [k, meetingKindName(k)] as const),
    initial.kind ?? 'csp',
  );
  const title = h('input', { name: 'title', required: true, maxlength: 300, value: initial.title ?? '' });
  const number = h('input', { name: 'number', maxlength: 40, value: initial.number ?? '' });
  const place = h('input', { name: 'place', maxlength: 200, value: initial.place ?? '' });
  const start = h('input', {
    name: 'startDate',
    type: 'date',
    required: true,
    value: initial.startDate ?? '',
  });
  const end = h('input', { name: 'endDate', type: 'date', required: true, value: initial.endDate ?? '' });
  const status = formStatus();
  const form = h(
    'form',
    { class: 'account-form', 'data-form': name },
    field(t('editor.field.kind'), kind),
    field(t('editor.field.title'), title),
    field(t('editor.field.number'), number),
    field(t('editor.field.place'), place),
    field(t('editor.field.start'), start),
    field(t('editor.field.end'), end),
    h('button', { type: 'submit' }, submitLabel),
    status.element,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const body = {
      kind: kind.value,
      title: title.value,
      number: valueOrNull(number),
      place: valueOrNull(place),
      startDate: start.value,
      endDate: end.value,
    };
    onSubmit(body).then(
      () => status.ok(t('editor.saved')),
      (error: unknown) => status.fail(error),
    );
  });
  return form;
}

export function meetingsPage(url: URL): Page {
  setDocumentTitle(t('meetings.title'));
  const controller = new AbortController();
  let params = new URLSearchParams(url.search);
  const kind = select(
    'kind',
    [['', t('meetings.filter.all')], ...MEETING_KINDS.map((k) => [k, meetingKindName(k)] as const)],
    params.get('kind') ?? '',
  );
  kind.id = 'meetings-kind';
  const year = select('year', [['', t('meetings.filter.all')]], params.get('year') ?? '');
  year.id = 'meetings-year';
  const results = h(
    'div',
    { class: 'meetings-results', 'aria-live': 'polite', 'aria-busy': 'true' },
    h('p', {}, t('loading')),
  );
  const editor = h('div', { class: 'meetings-editor' });
  const element = h(
    'div',
    { class: 'page meetings-page' },
    h(
      'header',
      { class: 'page-header' },
      h('h1', { tabindex: -1 }, t('meetings.title')),
      h('p', { class: 'intro' }, t('meetings.intro')),
    ),
    h(
      'div',
      { class: 'table-tools' },
      field(t('meetings.filter.kind'), kind),
      field(t('meetings.filter.year'), year),
    ),
    results,
    editor,
  );

  const onFilter = () => {
    const next = withSticky('/meetings');
    if (kind.value) next.searchParams.set('kind', kind.value);
    if (year.value) next.searchParams.set('year', year.value);
    navigate(`${next.pathname}${next.search}`, { replace: true });
  };
  kind.addEventListener('change', onFilter);
  year.addEventListener('change', onFilter);

  async function load(): Promise<void> {
    results.setAttribute('aria-busy', 'true');
    try {
      const body = await fetchFresh(
        apiHref('/v1/meetings', {
          kind: params.get('kind'),
          year: params.get('year'),
          _facet: 'year',
          _size: 1000,
        }),
        controller.signal,
      );
      const rows = (Array.isArray(body.rows) ? body.rows.filter(isObject) : []).map(normaliseMeeting);
      const years =
        isObject(body.facets) && Array.isArray(body.facets.year)
          ? body.facets.year.filter(isObject).map((f) => String(f.value))
          : [];
      const chosen = params.get('year') ?? '';
      const allYears = [...new Set([...years, ...(chosen ? [chosen] : [])])].sort().reverse();
      replaceChildren(
        year,
        h('option', { value: '' }, t('meetings.filter.all')),
        ...allYears.map((y) => h('option', { value: y, selected: y === chosen }, y)),
      );
      show(rows);
    } catch (error) {
      if (isAbort(error)) return;
      replaceChildren(
        results,
        errorMessage(asApiError(error), () => void load()),
      );
    }
    results.setAttribute('aria-busy', 'false');
  }

  function show(rows: Meeting[]): void {
    if (rows.length === 0) {
      replaceChildren(results, notice('info', h('p', {}, t('meetings.none'))));
      return;
    }
    replaceChildren(
      results,
      dataTable({
        caption: t('meetings.caption'),
        className: 'data-table meetings-table',
        columns: [
          { label: t('meetings.col.meeting') },
          { label: t('meetings.col.kind') },
          { label: t('meetings.col.dates') },
          { label: t('meetings.col.place') },
          { label: t('meetings.col.sessions'), numeric: true },
          { label: t('meetings.col.documents'), numeric: true },
        ],
        rows: rows.map((m) => [
          h(
            'a',
            { href: `/meetings/${m.id}`, 'data-meeting': String(m.id) },
            m.number ? `${m.number}: ${m.title}` : m.title,
          ),
          meetingKindName(m.kind),
          h('span', {}, dateCell(m.startDate), ' – ', dateCell(m.endDate)),
          m.place ?? emptyValue(),
          m.sessionCount === null ? emptyValue() : formatNumber(m.sessionCount),
          m.documentCount === null ? emptyValue() : formatNumber(m.documentCount),
        ]),
      }),
    );
  }

  void currentSession().then((session) => {
    if (session.kind !== 'secretariat' && session.kind !== 'admin') return;
    replaceChildren(
      editor,
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'add-meeting-h' },
        h('h2', { id: 'add-meeting-h' }, t('editor.meeting.add')),
        meetingForm(
          'add-meeting',
          {},
          async (body) => {
            const created = await send('POST', '/v1/meetings', body);
            const id = isObject(created?.data) ? created.data.id : null;
            if (typeof id === 'number') navigate(`/meetings/${id}`);
          },
          t('editor.save'),
        ),
      ),
    );
  });

  void load();
  return {
    element,
    update(next) {
      params = new URLSearchParams(next.search);
      kind.value = params.get('kind') ?? '';
      void load();
      return true;
    },
    destroy() {
      controller.abort();
    },
  };
}
