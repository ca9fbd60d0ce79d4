import { formatDate, t, type MessageKey } from '../i18n/index.js';
import { MAX_AS_OF, MIN_AS_OF, TREATY_DATES, isIsoDate, todayUtc } from '../state/dates.js';
import { h, uid } from './dom.js';

export interface DateControl {
  element: HTMLElement;
  /** Shows a date: `asOf` from the URL (null = today) and the date the API answered for. */
  setValue(asOf: string | null, shown: string | null): void;
}

const PRESETS: { label: MessageKey; date: string | null }[] = [
  { label: 'date.preset.opened', date: TREATY_DATES.opened },
  { label: 'date.preset.eif', date: TREATY_DATES.entryIntoForce },
  { label: 'date.preset.csp1', date: TREATY_DATES.csp1 },
  { label: 'date.preset.today', date: null },
];

/**
 * The "status on" date: a native date input (keyboard and screen-reader friendly everywhere) and a few key dates.
 * `onChange(null)` means today. Typing in a date input emits a change per completed part of the date, so changes
 * are committed after a short pause.
 */
export function dateControl(onChange: (asOf: string | null) => void): DateControl {
  const inputId = uid('as-of');
  const hintId = uid('as-of-hint');
  const errorId = uid('as-of-error');
  let current: string | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const input = h('input', {
    id: inputId,
    name: 'asOf',
    type: 'date',
    min: MIN_AS_OF,
    max: MAX_AS_OF,
    required: true,
    'aria-describedby': `${hintId} ${errorId}`,
  });
  const error = h('p', { id: errorId, class: 'field-error', 'aria-live': 'polite' });

  const commit = () => {
    const value = input.value;
    if (!isIsoDate(value) || value < MIN_AS_OF || value > MAX_AS_OF) {
      if (value)
        error.textContent = t('date.invalid', { min: formatDate(MIN_AS_OF), max: formatDate(MAX_AS_OF) });
      input.setAttribute('aria-invalid', 'true');
      return;
    }
    error.textContent = '';
    input.removeAttribute('aria-invalid');
    const next = value === todayUtc() && current === null ? null : value;
    if (next !== current) onChange(next);
  };
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(commit, 350);
  };
  input.addEventListener('input', schedule);
  input.addEventListener('change', schedule);
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      clearTimeout(timer);
      commit();
    }
  });

  const buttons = PRESETS.map((preset) => {
    const button = h(
      'button',
      { type: 'button', class: 'preset', 'aria-pressed': 'false', 'data-date': preset.date ?? 'today' },
      h('span', { class: 'preset-label' }, t(preset.label)),
      preset.date ? h('span', { class: 'preset-date' }, formatDate(preset.date, 'medium')) : null,
    );
    button.addEventListener('click', () => {
      clearTimeout(timer);
      if (preset.date !== current) onChange(preset.date);
    });
    return { button, date: preset.date };
  });

  const element = h(
    'div',
    { class: 'date-control' },
    h(
      'div',
      { class: 'date-field' },
      h('label', { for: inputId }, t('date.label')),
      input,
      h('p', { id: hintId, class: 'hint' }, t('date.hint')),
      error,
    ),
    h(
      'div',
      { class: 'presets', role: 'group', 'aria-label': t('date.presets') },
      ...buttons.map((b) => b.button),
    ),
  );

  return {
    element,
    setValue(asOf, shown) {
      current = asOf;
      const value = asOf ?? shown ?? todayUtc();
      // Never rewrite the field under the reader's cursor.
      if (document.activeElement !== input) input.value = value;
      for (const { button, date } of buttons) button.setAttribute('aria-pressed', String(date === asOf));
    },
  };
}
