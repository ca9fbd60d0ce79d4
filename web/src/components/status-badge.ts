import { TREATY_STATUSES, type TreatyStatus } from '../api/types.js';
import { tMaybe } from '../i18n/index.js';
import { h } from './dom.js';

export function statusLabel(status: string): string {
  return tMaybe(`status.${status}`, status.replace(/_/g, ' '));
}

export function isKnownStatus(status: string): status is TreatyStatus {
  return (TREATY_STATUSES as readonly string[]).includes(status);
}

/** A colour swatch (the map's colour) with the status in words: colour is never the only cue. */
export function statusBadge(status: string): HTMLElement {
  return h(
    'span',
    { class: 'status', 'data-status': isKnownStatus(status) ? status : 'unknown' },
    h('span', { class: 'swatch', 'aria-hidden': 'true' }),
    statusLabel(status),
  );
}
