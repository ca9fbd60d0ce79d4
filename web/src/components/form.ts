import { ApiError } from '../api/client.js';
import { h, uid } from './dom.js';

/** A labelled form field (the label is tied to the control by id). */
export function field(
  label: string,
  control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement,
): HTMLElement {
  if (!control.id) control.id = uid('field');
  return h('p', { class: 'field' }, h('label', { for: control.id }, label), control);
}

/** A `<select>` of value/label pairs with `selected` chosen. */
export function select(
  name: string,
  options: readonly (readonly [value: string, label: string])[],
  selected = '',
): HTMLSelectElement {
  return h(
    'select',
    { name },
    ...options.map(([value, label]) => h('option', { value, selected: value === selected }, label)),
  );
}

/** A polite status line under a form: errors in the API's words, with its hint. */
export function formStatus(): { element: HTMLElement; ok(text: string): void; fail(error: unknown): void } {
  const element = h('p', { class: 'form-status', role: 'status', 'aria-live': 'polite' });
  return {
    element,
    ok(text) {
      element.removeAttribute('data-error');
      element.textContent = text;
    },
    fail(error) {
      element.setAttribute('data-error', '');
      element.textContent =
        error instanceof ApiError ? `${error.message}${error.hint ? ` (${error.hint})` : ''}` : String(error);
    },
  };
}

/** An input's value, or null when it is empty (the API's "not given"). */
export function valueOrNull(
  control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement,
): string | null {
  const value = control.value.trim();
  return value === '' ? null : value;
}
