import { ApiError, getJson, isObject, str, type Json } from '../api/client.js';
import { currentSession, send } from '../api/session.js';
import { h, replaceChildren } from '../components/dom.js';
import { t, tMaybe } from '../i18n/index.js';
import { setDocumentTitle, type Page } from '../router.js';

/** The event kinds (src/model/alert-event.ts), in the order shown. */
export const EVENT_KINDS = [
  'report_published',
  'report_submitted_private',
  'report_made_private',
  'deadline_approaching',
  'embargo_changed',
  'treaty_status_changed',
  'annotation_published',
  'meeting_changed',
] as const;

export function kindLabel(kind: string): string {
  return tMaybe(`alerts.kind.${kind}`, kind.replace(/_/g, ' '));
}

function describeError(error: unknown): string {
  return error instanceof ApiError ? `${error.message}${error.hint ? ` (${error.hint})` : ''}` : String(error);
}

function feedsSection(): HTMLElement {
  const link = (kind: string | null, format: 'atom' | 'json') => {
    const href = `/v1/feeds/events.${format}${kind ? `?kind=${kind}` : ''}`;
    return h('a', { href, 'data-feed': `${kind ?? 'all'}.${format}`, type: format === 'atom' ? 'application/atom+xml' : 'application/json' }, format === 'atom' ? 'Atom' : 'JSON');
  };
  return h(
    'section',
    { 'aria-labelledby': 'feeds-heading' },
    h('h2', { id: 'feeds-heading' }, t('alerts.feeds.title')),
    h('p', {}, t('alerts.feeds.intro')),
    h(
      'ul',
      { class: 'feed-links' },
      h('li', {}, t('alerts.feeds.all'), ': ', link(null, 'atom'), ' · ', link(null, 'json')),
      ...EVENT_KINDS.map((kind) => h('li', {}, kindLabel(kind), ': ', link(kind, 'atom'), ' · ', link(kind, 'json'))),
    ),
    h('p', { class: 'muted' }, t('alerts.feeds.state')),
  );
}

function deliveriesList(rows: Json[]): HTMLElement {
  if (rows.length === 0) return h('p', { 'data-deliveries': 'empty' }, t('alerts.deliveries.none'));
  return h(
    'ul',
    { class: 'deliveries', 'data-deliveries': '' },
    ...rows.map((row) => {
      const email = isObject(row.email) ? row.email : null;
      return h(
        'li',
        { 'data-delivery-status': str(row.status) ?? '' },
        h('strong', {}, tMaybe(`alerts.deliveries.status.${str(row.status) ?? ''}`, str(row.status) ?? '')),
        ' ',
        str(row.eventTitle) ?? '',
        email ? h('span', { class: 'muted', 'data-email-to': str(email.to) ?? '' }, ` (${t('alerts.deliveries.email', { to: str(email.to) ?? '' })})`) : null,
        row.lastError ? h('span', { class: 'muted' }, ` (${str(row.lastError) ?? ''})`) : null,
      );
    }),
  );
}

function subscriptionItem(row: Json, refresh: () => void): HTMLElement {
  const id = str(row.id) ?? '';
  const kinds = Array.isArray(row.kinds) ? row.kinds.map((k) => kindLabel(String(k))).join(', ') : '';
  const target = str(row.channel) === 'webhook' ? (str(row.webhookUrl) ?? '') : (str(row.emailTo) ?? '');
  const deliveries = h('div', { class: 'deliveries-box' });
  const show = h('button', { type: 'button', 'data-action': 'show-deliveries' }, t('alerts.deliveries.show'));
  show.addEventListener('click', () => {
    getJson(`/v1/subscriptions/${id}/deliveries`)
      .then((body) => replaceChildren(deliveries, deliveriesList(Array.isArray(body.rows) ? (body.rows as Json[]) : [])))
      .catch((error: unknown) => (deliveries.textContent = describeError(error)));
  });
  const remove = h('button', { type: 'button', 'data-action': 'delete-subscription' }, t('alerts.subscriptions.delete'));
  remove.addEventListener('click', () => {
    send('DELETE', `/v1/subscriptions/${id}`)
      .then(refresh)
      .catch((error: unknown) => (deliveries.textContent = describeError(error)));
  });
  return h(
    'li',
    { 'data-subscription': id },
    h('p', {}, h('strong', {}, kinds), ' · ', row.stateId ? str(row.stateId) : t('alerts.subscriptions.allStates'), ' · ', t(str(row.channel) === 'webhook' ? 'alerts.channel.webhook' : 'alerts.channel.email'), ': ', target),
    show,
    ' ',
    remove,
    deliveries,
  );
}

function subscriptionsSection(): HTMLElement {
  const list = h('ul', { class: 'subscriptions', 'data-subscriptions': '' });
  const status = h('p', { class: 'form-status', role: 'status', 'aria-live': 'polite' });
  const refresh = () => {
    getJson('/v1/subscriptions')
      .then((body) => {
        const rows = Array.isArray(body.rows) ? (body.rows as Json[]) : [];
        replaceChildren(list, ...(rows.length > 0 ? rows.map((row) => subscriptionItem(row, refresh)) : [h('li', {}, t('alerts.subscriptions.none'))]));
      })
      .catch((error: unknown) => (status.textContent = describeError(error)));
  };

  const boxes = EVENT_KINDS.map((kind) => h('input', { type: 'checkbox', id: `kind-${kind}`, value: kind, name: 'kind' }));
  const state = h('input', { id: 'subscription-state', type: 'text', pattern: '[A-Za-z]{3}', maxlength: 3, placeholder: 'FRA' });
  const email = h('input', { type: 'radio', name: 'channel', id: 'channel-email', value: 'email', checked: true });
  const webhook = h('input', { type: 'radio', name: 'channel', id: 'channel-webhook', value: 'webhook' });
  const url = h('input', { id: 'subscription-webhook-url', type: 'url', placeholder: 'https://example.org/att-hook' });
  const form = h(
    'form',
    { class: 'account-form', 'data-form': 'subscribe' },
    h('fieldset', {}, h('legend', {}, t('alerts.subscriptions.kinds')), ...boxes.map((box) => h('p', { class: 'field-inline' }, box, ' ', h('label', { for: box.id }, kindLabel(box.value))))),
    h('p', { class: 'field' }, h('label', { for: state.id }, t('alerts.subscriptions.state')), state),
    h(
      'fieldset',
      {},
      h('legend', {}, t('alerts.subscriptions.channel')),
      h('p', { class: 'field-inline' }, email, ' ', h('label', { for: email.id }, t('alerts.channel.email'))),
      h('p', { class: 'field-inline' }, webhook, ' ', h('label', { for: webhook.id }, t('alerts.channel.webhook'))),
    ),
    h('p', { class: 'field' }, h('label', { for: url.id }, t('alerts.subscriptions.webhookUrl')), url),
    h('button', { type: 'submit' }, t('alerts.subscriptions.create')),
    status,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const kinds = boxes.filter((box) => box.checked).map((box) => box.value);
    const body: Json = { kinds, channel: webhook.checked ? 'webhook' : 'email' };
    if (state.value.trim()) body.stateId = state.value.trim().toUpperCase();
    if (webhook.checked) body.webhookUrl = url.value.trim();
    send('POST', '/v1/subscriptions', body)
      .then((answer) => {
        const secret = str(answer?.webhookSecret);
        replaceChildren(status, t('alerts.subscriptions.created'), ...(secret ? [' ', t('alerts.subscriptions.secret'), ' ', h('code', { 'data-webhook-secret': '' }, secret)] : []));
        refresh();
      })
      .catch((error: unknown) => {
        status.textContent = describeError(error);
        status.setAttribute('data-error', '');
      });
  });
  refresh();
  return h(
    'section',
    { 'aria-labelledby': 'subscriptions-heading' },
    h('h2', { id: 'subscriptions-heading' }, t('alerts.subscriptions.title')),
    h('p', {}, t('alerts.subscriptions.intro')),
    list,
    h('h3', {}, t('alerts.subscriptions.new')),
    form,
  );
}

/** /alerts: the Atom and JSON feeds for everyone; a signed-in user's subscriptions (create, delete, deliveries). */
export function alertsPage(): Page {
  setDocumentTitle(t('alerts.title'));
  const rest = h('div', {}, h('p', {}, t('loading')));
  const element = h('div', { class: 'page alerts' }, h('h1', { tabindex: -1 }, t('alerts.title')), feedsSection(), rest);
  void currentSession().then((session) => {
    replaceChildren(
      rest,
      session.kind === 'anonymous'
        ? h('p', { 'data-subscriptions': 'sign-in' }, t('alerts.subscriptions.signIn'), ' ', h('a', { href: '/sign-in?next=/alerts' }, t('nav.signIn')))
        : subscriptionsSection(),
    );
  });
  return { element };
}
