import { TREATY_STATUSES, type StatusCounts, type TreatyStatus } from '../api/types.js';
import { t } from '../i18n/index.js';
import { h } from './dom.js';
import { statusLabel } from './status-badge.js';

const COUNT_OF: Record<TreatyStatus, keyof StatusCounts> = {
  state_party: 'stateParty',
  deposited_awaiting_eif: 'depositedAwaitingEif',
  signatory: 'signatory',
  declared_not_to_become_party: 'declaredNotToBecomeParty',
  not_signed: 'notSigned',
};

export interface LegendView {
  element: HTMLElement;
  update(counts: StatusCounts | null): void;
}

/** The map's key: one swatch per status with its count, plus areas that are not States in the data. */
export function legendView(): LegendView {
  const labels = new Map<TreatyStatus, HTMLElement>();
  const list = h('ul', { class: 'legend', 'aria-label': t('map.legend') });
  for (const status of TREATY_STATUSES) {
    const label = h('span', {}, statusLabel(status));
    labels.set(status, label);
    list.append(
      h('li', { 'data-status': status }, h('span', { class: 'swatch', 'aria-hidden': 'true' }), label),
    );
  }
  list.append(
    h(
      'li',
      { 'data-status': 'territory' },
      h('span', { class: 'swatch', 'aria-hidden': 'true' }),
      h('span', {}, t('status.territory')),
    ),
    h(
      'li',
      { class: 'legend-marker' },
      h('span', { class: 'swatch marker-swatch', 'aria-hidden': 'true' }),
      h('span', {}, t('map.markerNote')),
    ),
  );
  return {
    element: list,
    update(counts) {
      for (const [status, label] of labels) {
        const text = statusLabel(status);
        label.textContent = counts
          ? t('map.legendCount', { label: text, count: counts[COUNT_OF[status]] })
          : text;
      }
    },
  };
}
