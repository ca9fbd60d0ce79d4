import { tMaybe } from '../i18n/index.js';
import { h } from './dom.js';

const ICON: Record<string, string> = {
  info: 'i',
  attention: '!',
  concern: '!!',
  flag: '!!',
  possible: '!',
  inconclusive: '?',
  clear: '✓',
};

/** An indicator level (info, attention, concern) or screening outcome, in words with a shape: colour is never the only cue. */
export function levelBadge(level: string, prefix: 'level' | 'outcome' = 'level'): HTMLElement {
  return h(
    'span',
    { class: 'level', 'data-level': level },
    h('span', { class: 'level-icon', 'aria-hidden': 'true' }, ICON[level] ?? '·'),
    tMaybe(`${prefix}.${level}`, level.replace(/_/g, ' ')),
  );
}
