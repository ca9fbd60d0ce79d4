/**
 * `/moderation`: the Secretariat's queue of pending questions and annotations. Approving publishes one with its
 * report; rejecting needs a reason, which the author sees. The text is shown as typed (text nodes, never HTML).
 */
import { fetchFresh, normaliseAnnotation, type Annotation } from '../api/civil.js';
import { isObject } from '../api/client.js';
import { asApiError } from '../api/data.js';
import { currentSession, send } from '../api/session.js';
import { h, replaceChildren } from '../components/dom.js';
import { errorMessage } from '../components/error-box.js';
import { field, formStatus } from '../components/form.js';
import { notice } from '../components/notice.js';
import { formatDate, t } from '../i18n/index.js';
import { navigate, setDocumentTitle, type Page } from '../router.js';
import { reportHref } from './report.js';

export function moderationPage(): Page {
  setDocumentTitle(t('moderation.title'));
  const queue = h('div', { class: 'moderation-queue', 'aria-live': 'polite' }, h('p', {}, t('loading')));
  const element = h(
    'div',
    { class: 'page moderation-page' },
    h(
      'header',
      { class: 'page-header' },
      h('h1', { tabindex: -1 }, t('moderation.title')),
      h('p', { class: 'intro' }, t('moderation.intro')),
    ),
    queue,
  );

  async function load(): Promise<void> {
    try {
      const body = await fetchFresh('/v1/annotations?status=pending&_size=1000');
      const rows = (Array.isArray(body.rows) ? body.rows.filter(isObject) : []).map(normaliseAnnotation);
      replaceChildren(
        queue,
        rows.length === 0
          ? notice('info', h('p', {}, t('moderation.none')))
          : h('ol', { class: 'annotations' }, ...rows.map((a) => h('li', {}, item(a)))),
      );
    } catch (error) {
      replaceChildren(
        queue,
        errorMessage(asApiError(error), () => void load()),
      );
    }
  }

  function item(a: Annotation): HTMLElement {
    const reason = h('input', { name: 'reason', maxlength: 1000 });
    const status = formStatus();
    const decide = (decision: 'approve' | 'reject') =>
      send('POST', `/v1/annotations/${a.id}/moderation`, {
        decision,
        reason: decision === 'reject' ? reason.value : null,
      }).then(
        () => void load(),
        (error: unknown) => status.fail(error),
      );
    const approve = h('button', { type: 'button', 'data-action': 'approve' }, t('moderation.approve'));
    approve.addEventListener('click', () => void decide('approve'));
    const reject = h(
      'button',
      { type: 'button', class: 'button-danger', 'data-action': 'reject' },
      t('moderation.reject'),
    );
    reject.addEventListener('click', () => void decide('reject'));
    return h(
      'article',
      { class: 'annotation annotation-pending', 'data-annotation': String(a.id) },
      h(
        'p',
        { class: 'annotation-meta' },
        h(
          'strong',
          {},
          t(a.kind === 'question' ? 'annotations.kind.question' : 'annotations.kind.annotation'),
        ),
        ' · ',
        t('annotations.by', { name: a.authorName }),
        ' · ',
        h('time', { datetime: a.createdAt }, formatDate(a.createdAt.slice(0, 10), 'medium')),
        ' · ',
        h('a', { href: reportHref(a.reportId) }, t('moderation.report', { state: a.stateId })),
        a.rowId !== null ? ` (${t('moderation.row', { id: a.rowId })})` : '',
      ),
      h('p', { class: 'annotation-text' }, a.text),
      h('div', { class: 'moderation-actions' }, approve, field(t('moderation.reason'), reason), reject),
      status.element,
    );
  }

  void currentSession().then((session) => {
    if (session.kind === 'anonymous') {
      navigate('/sign-in?next=/moderation', { replace: true });
      return;
    }
    if (session.kind !== 'secretariat' && session.kind !== 'admin') {
      replaceChildren(queue, notice('warning', h('p', {}, t('moderation.forbidden'))));
      return;
    }
    void load();
  });
  return { element };
}
