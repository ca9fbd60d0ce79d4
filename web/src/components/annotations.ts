/**
 * "Questions and annotations" on a report page: the approved ones with the reporting State's answers, the signed-in
 * viewer's own pending ones (marked pending), a form to post, and the answer form for the reporting State's officers.
 * User text goes into the page as text nodes only (h() children), never as HTML: a stored `<script>` is shown as
 * the characters typed, and runs nothing.
 */
import { fetchFresh, normaliseAnnotation, type Annotation } from '../api/civil.js';
import { isObject } from '../api/client.js';
import { apiHref, asApiError } from '../api/data.js';
import { currentSession, send, type SessionInfo } from '../api/session.js';
import { formatDate, t } from '../i18n/index.js';
import { h, replaceChildren, uid } from './dom.js';
import { errorMessage } from './error-box.js';
import { field, formStatus, select } from './form.js';
import { notice } from './notice.js';

/** A row the viewer may annotate: its stored id and how the page names it. */
export interface AnnotatableRow {
  id: number;
  /** The row number in the report file (as the rows table shows it). */
  row: number | null;
  label: string;
  /** Rows of public forms only can be annotated (ATT Art. 13(3)). */
  public: boolean;
}

export function annotationsSection(options: {
  reportId: string;
  stateName: string;
  rows: AnnotatableRow[];
}): HTMLElement {
  const headingId = uid('annotations-h');
  const list = h('div', { class: 'annotation-list', 'aria-live': 'polite' }, h('p', {}, t('loading')));
  const formSlot = h('div', { class: 'annotation-form' });
  const section = h(
    'section',
    { class: 'report-annotations', 'aria-labelledby': headingId, 'data-section': 'annotations' },
    h('h2', { id: headingId }, t('annotations.heading')),
    h('p', { class: 'intro' }, t('annotations.intro')),
    list,
    formSlot,
  );
  const rowNumber = new Map(options.rows.map((r) => [r.id, r.row]));

  async function load(session: SessionInfo): Promise<void> {
    try {
      const body = await fetchFresh(apiHref('/v1/annotations', { reportId: options.reportId, _size: 1000 }));
      const rows = (Array.isArray(body.rows) ? body.rows.filter(isObject) : []).map(normaliseAnnotation);
      // The public sees approved ones; an author also sees their own pending or rejected ones (the API decides).
      const shown = rows.filter((a) => a.status === 'approved' || a.mine);
      replaceChildren(
        list,
        shown.length === 0
          ? notice('info', h('p', {}, t('annotations.none')))
          : h('ol', { class: 'annotations' }, ...shown.map((a) => h('li', {}, item(a, session)))),
      );
    } catch (error) {
      replaceChildren(
        list,
        errorMessage(asApiError(error), () => void load(session)),
      );
    }
  }

  function item(a: Annotation, session: SessionInfo): HTMLElement {
    const row = a.rowId === null ? null : (rowNumber.get(a.rowId) ?? null);
    const target =
      a.rowId === null
        ? t('annotations.onReport')
        : row !== null
          ? t('annotations.onRow', { row })
          : t('annotations.onARow');
    const article = h(
      'article',
      {
        class: `annotation annotation-${a.status}`,
        'data-annotation': String(a.id),
        'data-status': a.status,
      },
      h(
        'p',
        { class: 'annotation-meta' },
        h(
          'strong',
          {},
          t(a.kind === 'question' ? 'annotations.kind.question' : 'annotations.kind.annotation'),
        ),
        ` · ${target} · `,
        t('annotations.by', { name: a.authorName }),
        ' · ',
        h('time', { datetime: a.createdAt }, formatDate(a.createdAt.slice(0, 10), 'medium')),
        a.status === 'pending'
          ? h('span', { class: 'badge badge-pending', 'data-badge': 'pending' }, t('annotations.pending'))
          : null,
        a.status === 'rejected'
          ? h('span', { class: 'badge badge-rejected', 'data-badge': 'rejected' }, t('annotations.rejected'))
          : null,
      ),
      h('p', { class: 'annotation-text' }, a.text),
      a.status === 'rejected' && a.rejectionReason
        ? h(
            'p',
            { class: 'annotation-reason' },
            t('annotations.rejectedBecause', { reason: a.rejectionReason }),
          )
        : null,
      a.answer
        ? h(
            'div',
            { class: 'annotation-answer', 'data-answer': '' },
            h(
              'p',
              { class: 'annotation-meta' },
              h('strong', {}, t('annotations.answer', { state: options.stateName })),
              ' · ',
              h(
                'time',
                { datetime: a.answer.answeredAt },
                formatDate(a.answer.answeredAt.slice(0, 10), 'medium'),
              ),
            ),
            h('p', { class: 'annotation-text' }, a.answer.text),
          )
        : null,
    );
    if (
      session.kind === 'state_officer' &&
      session.stateId === a.stateId &&
      a.kind === 'question' &&
      a.status === 'approved'
    )
      article.append(answerForm(a, session));
    return article;
  }

  function answerForm(a: Annotation, session: SessionInfo): HTMLElement {
    const text = h(
      'textarea',
      { name: 'answer', required: true, maxlength: 2000, rows: 3 },
      a.answer?.text ?? '',
    );
    const status = formStatus();
    const form = h(
      'form',
      { class: 'account-form', 'data-form': 'answer' },
      field(t('annotations.answer.label', { state: options.stateName }), text),
      h(
        'button',
        { type: 'submit' },
        t(a.answer ? 'annotations.answer.revise' : 'annotations.answer.submit'),
      ),
      status.element,
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      send('PUT', `/v1/annotations/${a.id}/answer`, { text: text.value }).then(
        () => void load(session),
        (error: unknown) => status.fail(error),
      );
    });
    return form;
  }

  function postForm(session: SessionInfo): HTMLElement {
    if (session.kind === 'anonymous') {
      const next = `${location.pathname}${location.search}`;
      return h(
        'p',
        {},
        h(
          'a',
          { href: `/sign-in?next=${encodeURIComponent(next)}`, 'data-action': 'sign-in-to-ask' },
          t('annotations.form.signIn'),
        ),
      );
    }
    const targets = [
      ['', t('annotations.onReport')] as const,
      ...options.rows.filter((r) => r.public).map((r) => [String(r.id), r.label] as const),
    ];
    const target = select('rowId', targets);
    const kind = select('kind', [
      ['question', t('annotations.kind.question')],
      ['annotation', t('annotations.kind.annotation')],
    ]);
    const text = h('textarea', { name: 'text', required: true, maxlength: 2000, rows: 4 });
    const status = formStatus();
    const form = h(
      'form',
      { class: 'account-form', 'data-form': 'annotate' },
      field(t('annotations.form.target'), target),
      field(t('annotations.form.kind'), kind),
      field(t('annotations.form.text'), text),
      h('button', { type: 'submit' }, t('annotations.form.submit')),
      status.element,
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      send('POST', '/v1/annotations', {
        reportId: options.reportId,
        rowId: target.value ? Number(target.value) : null,
        kind: kind.value,
        text: text.value,
      }).then(
        () => {
          text.value = '';
          status.ok(t('annotations.form.sent'));
          void load(session);
        },
        (error: unknown) => status.fail(error),
      );
    });
    return h('div', {}, h('h3', {}, t('annotations.form.title')), form);
  }

  void currentSession().then((session) => {
    replaceChildren(formSlot, postForm(session));
    return load(session);
  });
  return section;
}
