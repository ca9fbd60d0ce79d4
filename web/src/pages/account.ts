import { ApiError } from '../api/client.js';
import { currentSession, send, signOut, type SessionInfo } from '../api/session.js';
import { h, replaceChildren } from '../components/dom.js';
import { t } from '../i18n/index.js';
import { navigate, setDocumentTitle, type Page } from '../router.js';

/**
 * Links shown on the account page by role: each section of the signed-in app adds its entry here, so that a
 * reporting officer, the Secretariat and a researcher each see where their work is.
 */
export const ACCOUNT_LINKS: {
  href: string;
  label: Parameters<typeof t>[0];
  roles: readonly SessionInfo['kind'][];
}[] = [
  { href: '/reporting', label: 'account.link.reporting', roles: ['state_officer', 'secretariat', 'admin'] },
  { href: '/reporting/record', label: 'account.link.record', roles: ['secretariat', 'admin'] },
  { href: '/alerts', label: 'nav.alerts', roles: ['researcher', 'state_officer', 'secretariat', 'admin'] },
  { href: '/reference-upkeep', label: 'upkeep.title', roles: ['secretariat', 'admin'] },
  { href: '/moderation', label: 'account.link.moderation', roles: ['secretariat', 'admin'] },
  { href: '/meetings', label: 'account.link.meetings', roles: ['secretariat', 'admin'] },
];

function describeError(error: unknown): string {
  return error instanceof ApiError
    ? `${error.message}${error.hint ? ` (${error.hint})` : ''}`
    : String(error);
}

function apiKeySection(): HTMLElement {
  const output = h('p', { class: 'form-status', role: 'status', 'aria-live': 'polite' });
  const button = h('button', { type: 'button', 'data-action': 'create-api-key' }, t('account.apiKey.create'));
  button.addEventListener('click', () => {
    send('POST', '/v1/api-keys')
      .then((body) =>
        replaceChildren(
          output,
          t('account.apiKey.created'),
          ' ',
          h('code', { 'data-api-key': '' }, String(body?.key ?? '')),
        ),
      )
      .catch((error: unknown) => (output.textContent = describeError(error)));
  });
  return h(
    'section',
    {},
    h('h2', {}, t('account.apiKey.title')),
    h('p', {}, t('account.apiKey.intro')),
    button,
    output,
  );
}

function invitationSection(): HTMLElement {
  const email = h('input', { id: 'invite-email', type: 'email', required: true });
  const state = h('input', {
    id: 'invite-state',
    type: 'text',
    required: true,
    pattern: '[A-Z]{3}',
    maxlength: 3,
    placeholder: 'FRA',
  });
  const output = h('p', { class: 'form-status', role: 'status', 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'account-form', 'data-form': 'invite' },
    h('p', { class: 'field' }, h('label', { for: 'invite-email' }, t('signIn.email')), email),
    h('p', { class: 'field' }, h('label', { for: 'invite-state' }, t('account.invite.state')), state),
    h('button', { type: 'submit' }, t('account.invite.submit')),
    output,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    send('POST', '/v1/invitations', { email: email.value, stateId: state.value.toUpperCase() })
      .then((body) =>
        replaceChildren(
          output,
          t('account.invite.created'),
          ' ',
          h('code', { 'data-invitation-token': '' }, String(body?.token ?? '')),
        ),
      )
      .catch((error: unknown) => (output.textContent = describeError(error)));
  });
  return h('section', {}, h('h2', {}, t('account.invite.title')), form);
}

/** Who is signed in, what they can do, and sign out. Anonymous visitors are sent to the sign-in page. */
export function accountPage(): Page {
  setDocumentTitle(t('account.title'));
  const element = h(
    'div',
    { class: 'page account' },
    h('h1', { tabindex: -1 }, t('account.title')),
    h('p', {}, t('loading')),
  );
  void currentSession().then((session) => {
    if (session.kind === 'anonymous') {
      navigate('/sign-in?next=/account', { replace: true });
      return;
    }
    const out = h('button', { type: 'button', 'data-action': 'sign-out' }, t('account.signOut'));
    out.addEventListener('click', () => void signOut().then(() => navigate('/')));
    const links = ACCOUNT_LINKS.filter((link) => link.roles.includes(session.kind));
    replaceChildren(
      element,
      h('h1', { tabindex: -1 }, t('account.title')),
      h(
        'p',
        { 'data-role': session.kind },
        t(`account.role.${session.kind}` as Parameters<typeof t>[0], { state: session.stateId ?? '' }),
      ),
      links.length > 0
        ? h(
            'ul',
            { class: 'account-links' },
            ...links.map((link) => h('li', {}, h('a', { href: link.href }, t(link.label)))),
          )
        : null,
      session.kind === 'researcher' ? apiKeySection() : null,
      session.kind === 'secretariat' || session.kind === 'admin' ? invitationSection() : null,
      out,
    );
  });
  return { element };
}
