import { ApiError } from '../api/client.js';
import { register, signIn } from '../api/session.js';
import { h } from '../components/dom.js';
import { t } from '../i18n/index.js';
import { navigate, setDocumentTitle, type Page } from '../router.js';

/** Only same-site paths are followed after signing in (an open redirect would hand the session page to anyone). */
export function safeNext(next: string | null): string {
  return next && /^\/(?!\/)[^\s\\]*$/.test(next) ? next : '/account';
}

function field(label: string, input: HTMLInputElement): HTMLElement {
  return h('p', { class: 'field' }, h('label', { for: input.id }, label), input);
}

/** Sign in, or register as a researcher / NGO (State officers are invited by the Secretariat). */
export function signInPage(url: URL): Page {
  setDocumentTitle(t('signIn.title'));
  const next = safeNext(url.searchParams.get('next'));

  const email = h('input', {
    id: 'sign-in-email',
    type: 'email',
    name: 'email',
    autocomplete: 'username',
    required: true,
  });
  const password = h('input', {
    id: 'sign-in-password',
    type: 'password',
    name: 'password',
    autocomplete: 'current-password',
    required: true,
  });
  const status = h('p', { class: 'form-status', role: 'status', 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'account-form', 'data-form': 'sign-in' },
    field(t('signIn.email'), email),
    field(t('signIn.password'), password),
    h('button', { type: 'submit' }, t('signIn.submit')),
    status,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    status.textContent = t('signIn.working');
    signIn(email.value, password.value)
      .then(() => navigate(next))
      .catch((error: unknown) => {
        status.textContent =
          error instanceof ApiError
            ? `${error.message}${error.hint ? ` (${error.hint})` : ''}`
            : String(error);
        status.setAttribute('data-error', '');
      });
  });

  const newEmail = h('input', {
    id: 'register-email',
    type: 'email',
    name: 'email',
    autocomplete: 'email',
    required: true,
  });
  const newName = h('input', {
    id: 'register-name',
    type: 'text',
    name: 'displayName',
    autocomplete: 'name',
    required: true,
    maxlength: 200,
  });
  const newPassword = h('input', {
    id: 'register-password',
    type: 'password',
    name: 'password',
    autocomplete: 'new-password',
    required: true,
    minlength: 12,
  });
  const registerStatus = h('p', { class: 'form-status', role: 'status', 'aria-live': 'polite' });
  const registerForm = h(
    'form',
    { class: 'account-form', 'data-form': 'register' },
    field(t('signIn.email'), newEmail),
    field(t('register.name'), newName),
    field(t('register.password'), newPassword),
    h('button', { type: 'submit' }, t('register.submit')),
    registerStatus,
  );
  registerForm.addEventListener('submit', (event) => {
    event.preventDefault();
    registerStatus.textContent = t('signIn.working');
    register(newEmail.value, newName.value, newPassword.value)
      .then(() => signIn(newEmail.value, newPassword.value))
      .then(() => navigate(next))
      .catch((error: unknown) => {
        registerStatus.textContent =
          error instanceof ApiError
            ? `${error.message}${error.hint ? ` (${error.hint})` : ''}`
            : String(error);
        registerStatus.setAttribute('data-error', '');
      });
  });

  return {
    element: h(
      'div',
      { class: 'page sign-in' },
      h('h1', { tabindex: -1 }, t('signIn.title')),
      form,
      h('h2', {}, t('register.title')),
      h('p', {}, t('register.intro')),
      registerForm,
    ),
  };
}
