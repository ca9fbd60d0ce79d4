/**
 * `/meetings/{id}`: one meeting with its sessions (each marked open or closed to NGOs: the public knows a closed
 * session exists) and its documents (UN symbol, language, link). The Secretariat edits all three here.
 */
import {
  DOCUMENT_LANGUAGES,
  fetchFresh,
  normaliseMeetingDetail,
  safeLink,
  type MeetingDetail,
} from '../api/civil.js';
import { isObject } from '../api/client.js';
import { asApiError, isAbort } from '../api/data.js';
import { currentSession, send, type SessionInfo } from '../api/session.js';
import { h, replaceChildren, type Child } from '../components/dom.js';
import { errorMessage } from '../components/error-box.js';
import { field, formStatus, select, valueOrNull } from '../components/form.js';
import { notice } from '../components/notice.js';
import { dataTable } from '../components/table.js';
import { dateCell, emptyValue } from '../components/time.js';
import { t, tMaybe } from '../i18n/index.js';
import { navigate, setDocumentTitle, type Page } from '../router.js';
import { meetingForm, meetingKindName } from './meetings.js';
import { notFoundPage } from './not-found.js';

export function parseMeetingPath(pathname: string): number | null {
  const match = /^\/meetings\/([1-9]\d{0,15})\/?$/.exec(pathname);
  return match ? Number(match[1]) : null;
}

const languageName = (code: string) => tMaybe(`language.${code}`, code);

function accessBadge(access: 'open' | 'closed'): HTMLElement {
  return h(
    'span',
    { class: `badge badge-${access}`, 'data-ngo-access': access },
    t(access === 'open' ? 'meeting.session.open' : 'meeting.session.closed'),
  );
}

export function meetingPage(url: URL): Page {
  const id = parseMeetingPath(url.pathname) ?? 0;
  const controller = new AbortController();
  const heading = h('h1', { tabindex: -1 }, t('meetings.title'));
  const body = h('div', { class: 'meeting-body', 'aria-busy': 'true' }, h('p', {}, t('loading')));
  const element = h(
    'div',
    { class: 'page meeting-page' },
    h(
      'nav',
      { class: 'breadcrumb', 'aria-label': t('meeting.breadcrumb') },
      h('ol', {}, h('li', {}, h('a', { href: '/meetings' }, t('meetings.title')))),
    ),
    h('header', { class: 'page-header' }, heading),
    body,
  );
  setDocumentTitle(t('meetings.title'));

  async function load(): Promise<void> {
    try {
      const [answer, session] = await Promise.all([
        fetchFresh(`/v1/meetings/${id}`, controller.signal),
        currentSession(),
      ]);
      show(normaliseMeetingDetail(isObject(answer.data) ? answer.data : {}), session);
    } catch (error) {
      if (isAbort(error)) return;
      const apiError = asApiError(error);
      if (apiError.status === 404) {
        const missing = notFoundPage(url);
        element.replaceChildren(...missing.element.childNodes);
        return;
      }
      replaceChildren(
        body,
        errorMessage(apiError, () => void load()),
      );
    }
    body.setAttribute('aria-busy', 'false');
  }

  function show(meeting: MeetingDetail, session: SessionInfo): void {
    const title = meeting.number ? `${meeting.number}: ${meeting.title}` : meeting.title;
    heading.textContent = title;
    setDocumentTitle(title);
    const editing = session.kind === 'secretariat' || session.kind === 'admin';
    const sessionTitle = new Map(meeting.sessions.map((s) => [s.id, s.title]));
    const remove = (path: string, after: () => void): HTMLElement => {
      const button = h(
        'button',
        { type: 'button', class: 'button-danger', 'data-action': 'delete' },
        t('editor.delete'),
      );
      button.addEventListener('click', () => {
        if (!window.confirm(t('editor.confirmDelete'))) return;
        send('DELETE', path).then(after, (error: unknown) => window.alert(asApiError(error).message));
      });
      return button;
    };
    const reload = () => void load();

    const sessionRows = meeting.sessions.map((s): Child[] => [
      dateCell(s.date),
      s.startTime ?? emptyValue(),
      s.title,
      accessBadge(s.ngoAccess),
      s.note ?? emptyValue(),
      ...(editing ? [remove(`/v1/meeting-sessions/${s.id}`, reload)] : []),
    ]);
    const documentRows = meeting.documents.map((d): Child[] => {
      const link = safeLink(d.link);
      return [
        d.symbol ? h('code', { class: 'doc-symbol' }, d.symbol) : emptyValue(),
        d.title,
        dateCell(d.date),
        h('span', { 'data-language': d.language }, languageName(d.language)),
        d.sessionId !== null
          ? (sessionTitle.get(d.sessionId) ?? emptyValue())
          : t('editor.field.wholeMeeting'),
        link
          ? h(
              'a',
              { href: link, rel: 'noopener noreferrer', target: '_blank' },
              t('meeting.document.open'),
              h('span', { class: 'visually-hidden' }, ` (${d.title})`),
            )
          : emptyValue(),
        ...(editing ? [remove(`/v1/meeting-documents/${d.id}`, reload)] : []),
      ];
    });

    replaceChildren(
      body,
      h(
        'dl',
        { class: 'facts' },
        h('div', {}, h('dt', {}, t('meetings.col.kind')), h('dd', {}, meetingKindName(meeting.kind))),
        h(
          'div',
          {},
          h('dt', {}, t('meetings.col.dates')),
          h('dd', {}, dateCell(meeting.startDate, 'long'), ' – ', dateCell(meeting.endDate, 'long')),
        ),
        h('div', {}, h('dt', {}, t('meetings.col.place')), h('dd', {}, meeting.place ?? emptyValue())),
      ),
      h(
        'section',
        { 'aria-labelledby': 'sessions-h' },
        h('h2', { id: 'sessions-h' }, t('meeting.sessions')),
        sessionRows.length === 0
          ? notice('info', h('p', {}, t('meeting.sessions.none')))
          : dataTable({
              caption: t('meeting.sessions'),
              className: 'data-table sessions-table',
              columns: [
                { label: t('meeting.col.date') },
                { label: t('meeting.col.time') },
                { label: t('meeting.col.title') },
                { label: t('meeting.col.access') },
                { label: t('meeting.col.note') },
                ...(editing ? [{ label: t('editor.actions') }] : []),
              ],
              rows: sessionRows,
              rowAttrs: (index) => ({ 'data-session': String(meeting.sessions[index]?.id ?? '') }),
            }),
      ),
      h(
        'section',
        { 'aria-labelledby': 'documents-h' },
        h('h2', { id: 'documents-h' }, t('meeting.documents')),
        h('p', { class: 'muted' }, t('meeting.documents.note')),
        documentRows.length === 0
          ? notice('info', h('p', {}, t('meeting.documents.none')))
          : dataTable({
              caption: t('meeting.documents'),
              className: 'data-table documents-table',
              columns: [
                { label: t('meeting.col.symbol') },
                { label: t('meeting.col.title') },
                { label: t('meeting.col.date') },
                { label: t('meeting.col.language') },
                { label: t('meeting.col.session') },
                { label: t('meeting.col.link') },
                ...(editing ? [{ label: t('editor.actions') }] : []),
              ],
              rows: documentRows,
              rowAttrs: (index) => ({ 'data-document': String(meeting.documents[index]?.id ?? '') }),
            }),
      ),
      editing ? editors(meeting, reload) : null,
    );
  }

  function editors(meeting: MeetingDetail, reload: () => void): HTMLElement {
    const sessionTitle = h('input', { name: 'title', required: true, maxlength: 300 });
    const sessionDate = h('input', {
      name: 'date',
      type: 'date',
      required: true,
      min: meeting.startDate,
      max: meeting.endDate,
    });
    const sessionTime = h('input', { name: 'startTime', type: 'time' });
    const access = select('ngoAccess', [
      ['open', t('meeting.session.open')],
      ['closed', t('meeting.session.closed')],
    ]);
    const note = h('input', { name: 'note', maxlength: 1000 });
    const sessionStatus = formStatus();
    const sessionForm = h(
      'form',
      { class: 'account-form', 'data-form': 'add-session' },
      field(t('meeting.col.title'), sessionTitle),
      field(t('meeting.col.date'), sessionDate),
      field(t('meeting.col.time'), sessionTime),
      field(t('meeting.col.access'), access),
      field(t('meeting.col.note'), note),
      h('button', { type: 'submit' }, t('editor.session.add')),
      sessionStatus.element,
    );
    sessionForm.addEventListener('submit', (event) => {
      event.preventDefault();
      send('POST', `/v1/meetings/${meeting.id}/sessions`, {
        title: sessionTitle.value,
        date: sessionDate.value,
        startTime: valueOrNull(sessionTime),
        ngoAccess: access.value,
        note: valueOrNull(note),
      }).then(reload, (error: unknown) => sessionStatus.fail(error));
    });

    const symbol = h('input', {
      name: 'symbol',
      maxlength: 120,
      placeholder: 'ATT/CSP10/2024/SEC/123/Conf.Rep',
    });
    const docTitle = h('input', { name: 'title', required: true, maxlength: 500 });
    const docDate = h('input', { name: 'date', type: 'date', required: true });
    const language = select(
      'language',
      DOCUMENT_LANGUAGES.map((code) => [code, languageName(code)] as const),
      'en',
    );
    const link = h('input', { name: 'link', type: 'url', required: true, placeholder: 'https://' });
    const docSession = select('sessionId', [
      ['', t('editor.field.wholeMeeting')],
      ...meeting.sessions.map((s) => [String(s.id), s.title] as const),
    ]);
    const docStatus = formStatus();
    const documentForm = h(
      'form',
      { class: 'account-form', 'data-form': 'add-document' },
      field(t('meeting.col.symbol'), symbol),
      field(t('meeting.col.title'), docTitle),
      field(t('meeting.col.date'), docDate),
      field(t('meeting.col.language'), language),
      field(t('editor.field.link'), link),
      field(t('meeting.col.session'), docSession),
      h('button', { type: 'submit' }, t('editor.document.add')),
      docStatus.element,
    );
    documentForm.addEventListener('submit', (event) => {
      event.preventDefault();
      send('POST', `/v1/meetings/${meeting.id}/documents`, {
        symbol: valueOrNull(symbol),
        title: docTitle.value,
        date: docDate.value,
        language: language.value,
        link: link.value,
        sessionId: docSession.value ? Number(docSession.value) : null,
      }).then(reload, (error: unknown) => docStatus.fail(error));
    });

    const deleteMeeting = h(
      'button',
      { type: 'button', class: 'button-danger', 'data-action': 'delete-meeting' },
      t('editor.meeting.delete'),
    );
    deleteMeeting.addEventListener('click', () => {
      if (!window.confirm(t('editor.confirmDelete'))) return;
      send('DELETE', `/v1/meetings/${meeting.id}`).then(
        () => navigate('/meetings'),
        (error: unknown) => window.alert(asApiError(error).message),
      );
    });

    return h(
      'section',
      { class: 'card meeting-editor', 'aria-labelledby': 'editor-h' },
      h('h2', { id: 'editor-h' }, t('editor.heading')),
      h('h3', {}, t('editor.meeting.edit')),
      meetingForm(
        'edit-meeting',
        meeting,
        async (body) => {
          await send('PUT', `/v1/meetings/${meeting.id}`, body);
          reload();
        },
        t('editor.save'),
      ),
      h('h3', {}, t('editor.session.add')),
      sessionForm,
      h('h3', {}, t('editor.document.add')),
      documentForm,
      h('h3', {}, t('editor.meeting.delete')),
      deleteMeeting,
    );
  }

  void load();
  return {
    element,
    update(next) {
      return parseMeetingPath(next.pathname) === id;
    },
    destroy() {
      controller.abort();
    },
  };
}
