import { h, type Child } from './dom.js';

/** A short message in the flow of the page: `info` (e.g. "not available yet") or `warning`. */
export function notice(kind: 'info' | 'warning', ...children: Child[]): HTMLElement {
  return h('div', { class: `notice notice-${kind}`, 'data-notice': kind }, ...children);
}
