import { ApiError, fetchObligations, fetchState } from '../api/client.js';
import type { Meta, Obligation, StateDetail } from '../api/types.js';
import { dateControl } from '../components/date-control.js';
import { h, replaceChildren, uid, type Child } from '../components/dom.js';
import { errorMessage } from '../components/error-box.js';
import { dataActions } from '../components/data-actions.js';
import { csvHref } from '../api/data.js';
import { sourceNote } from '../components/source-note.js';
import { statusBadge } from '../components/status-badge.js';
import { termTip } from '../components/term.js';
import { dateCell, emptyValue } from '../components/time.js';
import { formatDate, t, tMaybe, type MessageKey } from '../i18n/index.js';
import { navigate, setDocumentTitle, type Page } from '../router.js';
import { homeHref, parseHomeState } from '../state/home-state.js';
import { parseStatePageState, stateHref, type StatePageState } from '../state/state-page-state.js';
import { recordAsOf } from '../state/treaty-view.js';

/** `/states/FRA`: one State's identifiers, treaty record, status on a date and reporting obligations. */
export function statePage(url: URL): Page {
  let state = parseStatePageState(url.pathname, url.search) as StatePageState;
  let request = 0;
  let destroyed = false;
  let controller: AbortController | null = null;

  const heading = h('h1', { tabindex: -1 }, state.iso3);
  const crumbs = h('nav', { class: 'breadcrumb', 'aria-label': t('state.breadcrumb') });
  const statusLine = h('div', { class: 'state-status', role: 'status', 'aria-live': 'polite' });
  const dates = dateControl((asOf) => navigate(stateHref(state.iso3, asOf)));
  const body = h('div', { class: 'state-body', 'aria-busy': 'true' }, h('p', {}, t('loading')));
  const profile = h('div', { class: 'profile-slot' });
  const source = h('div', { class: 'source-slot' });

  const controls = h('section', { class: 'controls', 'aria-label': t('date.section') }, dates.element);
  const element = h(
    'div',
    { class: 'page state-page' },
    crumbs,
    h('header', { class: 'page-header' }, heading, statusLine),
    controls,
    body,
    profile,
    source,
  );

  function renderCrumbs(name: string): void {
    const back = homeHref({ ...parseHomeState(''), asOf: state.asOf });
    replaceChildren(
      crumbs,
      h(
        'ol',
        {},
        h('li', {}, h('a', { href: back }, t('state.back'))),
        h('li', {}, h('span', { 'aria-current': 'page' }, name)),
      ),
    );
  }

  async function load(): Promise<void> {
    const mine = ++request;
    controller?.abort();
    controller = new AbortController();
    body.setAttribute('aria-busy', 'true');
    dates.setValue(state.asOf, null);
    renderCrumbs(state.iso3);
    try {
      const [detail, obligations] = await Promise.all([
        fetchState(state.iso3, state.asOf, controller.signal),
        fetchObligations(state.iso3, state.asOf, controller.signal).catch((err: unknown) => err as ApiError),
      ]);
      if (mine !== request || destroyed) return;
      show(detail.data, detail.meta, obligations);
    } catch (err) {
      if (mine !== request || destroyed || (err instanceof DOMException && err.name === 'AbortError')) return;
      const apiError = err instanceof ApiError ? err : new ApiError(String(err), 0, 'unknown');
      statusLine.replaceChildren();
      profile.replaceChildren();
      body.setAttribute('aria-busy', 'false');
      if (apiError.status === 404) {
        // An unknown code: say so in the API's words, and offer the list of States.
        heading.textContent = t('notFound.title');
        controls.hidden = true;
        replaceChildren(
          body,
          h('p', {}, apiError.message),
          h(
            'p',
            {},
            h('a', { href: homeHref({ ...parseHomeState(''), asOf: state.asOf }) }, t('notFound.home')),
          ),
        );
      } else {
        heading.textContent = t('error.title');
        replaceChildren(
          body,
          errorMessage(apiError, () => void load()),
        );
      }
      setDocumentTitle(heading.textContent);
    }
  }

  function show(
    data: StateDetail,
    meta: Meta,
    obligations: { rows: Obligation[]; meta: Meta } | ApiError,
  ): void {
    controls.hidden = false;
    const shown = state.asOf ?? data.asOf;
    const dateText = shown ? formatDate(shown) : '';
    heading.textContent = data.name;
    setDocumentTitle(t('state.documentTitle', { name: data.name }));
    renderCrumbs(data.name);
    dates.setValue(state.asOf, data.asOf);
    replaceChildren(
      statusLine,
      h('span', { class: 'status-on' }, t('state.statusOn', { date: dateText })),
      ' ',
      statusBadge(data.status),
    );

    const treaty = data.treaty ? recordAsOf(data.treaty, shown) : null;
    const identifiers = definitionList([
      [t('state.iso3'), h('span', { class: 'code' }, data.iso3)],
      [t('state.iso2'), data.iso2 ? h('span', { class: 'code' }, data.iso2) : emptyValue()],
      [t('state.m49'), data.m49 ? h('span', { class: 'code' }, data.m49) : emptyValue()],
      [t('state.region'), data.m49Region ?? emptyValue()],
      [t('state.subregion'), data.m49Subregion ?? emptyValue()],
      [t('state.unRegionalGroup'), data.unRegionalGroup ?? emptyValue()],
      data.aliases.length > 0 ? [t('state.aliases'), data.aliases.join('; ')] : null,
    ]);

    const treatySection = h(
      'section',
      { class: 'card', 'aria-labelledby': 'treaty-h' },
      h('h2', { id: 'treaty-h' }, t('state.treaty')),
    );
    if (!treaty) {
      treatySection.append(h('p', {}, t('state.treaty.none')));
    } else {
      const declared = treaty.declaredNotToBecomeParty;
      treatySection.append(
        definitionList([
          [withTip(t('state.signature'), 'term.signatory'), dateCell(treaty.signatureDate, 'long')],
          [
            withTip(t('state.deposit'), 'term.deposited'),
            treaty.depositDate
              ? h(
                  'span',
                  {},
                  dateCell(treaty.depositDate, 'long'),
                  treaty.actionType ? ` (${tMaybe(`action.${treaty.actionType}`, treaty.actionType)})` : '',
                )
              : emptyValue(),
          ],
          [withTip(t('state.eif'), 'term.stateParty'), dateCell(treaty.entryIntoForceDate, 'long')],
          [t('state.provisional'), dateCell(treaty.provisionalApplicationDate, 'long')],
          [
            withTip(t('state.declaration'), 'term.declared'),
            declared === true ? t('status.declared_not_to_become_party') : dateCell(declared, 'long'),
          ],
        ]),
      );
    }

    replaceChildren(
      body,
      h(
        'div',
        { class: 'state-grid' },
        treatySection,
        h(
          'section',
          { class: 'card', 'aria-labelledby': 'ids-h' },
          h('h2', { id: 'ids-h' }, t('state.identifiers')),
          identifiers,
        ),
      ),
      obligationsSection(data, shown, obligations),
    );
    body.setAttribute('aria-busy', 'false');
    replaceChildren(source, sourceNote(meta));
    // Transfers, risk indicators, screening and reports: their own chunk, loaded after the State is shown.
    const signal = controller?.signal;
    replaceChildren(profile);
    import('./state-profile.js')
      .then((module) => {
        if (!destroyed && signal && !signal.aborted)
          replaceChildren(profile, module.stateProfile(data, state.asOf, signal));
      })
      .catch(() => {
        if (!destroyed) replaceChildren(profile, h('p', { class: 'muted' }, t('error.network')));
      });
  }

  void load();

  return {
    element,
    update(next) {
      const parsed = parseStatePageState(next.pathname, next.search);
      if (!parsed || parsed.iso3 !== state.iso3) return false;
      if (parsed.asOf !== state.asOf) {
        state = parsed;
        void load();
      }
      return true;
    },
    destroy() {
      destroyed = true;
      controller?.abort();
    },
  };
}

function obligationsSection(
  data: StateDetail,
  shown: string | null,
  result: { rows: Obligation[]; meta: Meta } | ApiError,
): HTMLElement {
  const dateText = shown ? formatDate(shown) : '';
  const headingId = uid('obligations-h');
  const section = h(
    'section',
    { class: 'obligations', 'aria-labelledby': headingId },
    h('h2', { id: headingId }, t('state.obligations', { date: dateText })),
    h('p', { class: 'intro' }, t('state.obligations.intro')),
  );
  if (result instanceof ApiError) {
    section.append(errorMessage(result));
    return section;
  }
  if (result.rows.length === 0) {
    section.append(h('p', { class: 'empty-note' }, t('state.obligations.none')));
    return section;
  }
  const columns: MessageKey[] = [
    'state.obligations.col.kind',
    'state.obligations.col.coveredYear',
    'state.obligations.col.dueDate',
    'state.obligations.col.graceEndsOn',
    'state.obligations.col.status',
  ];
  const rows = [...result.rows].sort((a, b) => (a.dueDate ?? '').localeCompare(b.dueDate ?? ''));
  section.append(
    h(
      'div',
      { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-labelledby': headingId },
      h(
        'table',
        { class: 'obligations-table' },
        h(
          'caption',
          { class: 'visually-hidden' },
          t('state.obligations.caption', { name: data.name, date: dateText }),
        ),
        h('thead', {}, h('tr', {}, ...columns.map((key) => h('th', { scope: 'col' }, t(key))))),
        h(
          'tbody',
          {},
          ...rows.map((row) =>
            h(
              'tr',
              { 'data-kind': row.kind },
              h('th', { scope: 'row' }, tMaybe(`obligation.kind.${row.kind}`, row.kind)),
              h('td', {}, row.coveredYear ?? emptyValue()),
              h('td', { class: 'date' }, dateCell(row.dueDate)),
              h('td', { class: 'date' }, dateCell(row.graceEndsOn)),
              h(
                'td',
                {},
                h(
                  'span',
                  { class: 'obligation-status', 'data-status': row.status },
                  tMaybe(`obligation.status.${row.status}`, row.status.replace(/_/g, ' ')),
                ),
              ),
            ),
          ),
        ),
      ),
    ),
  );
  const zone = rows.find((row) => row.deadlineTimeZone)?.deadlineTimeZone;
  if (zone) section.append(h('p', { class: 'muted' }, t('state.obligations.timeZone', { zone })));
  section.append(
    dataActions({
      title: t('state.obligations.caption', { name: data.name, date: dateText }),
      csv: { href: csvHref('/v1/reporting/obligations', { state: data.iso3, asOf: shown, _size: 1000 }) },
      meta: result.meta,
    }),
  );
  return section;
}

function definitionList(items: ([Child, Child] | null)[]): HTMLDListElement {
  const list = h('dl', { class: 'facts' });
  for (const item of items) if (item) list.append(h('div', {}, h('dt', {}, item[0]), h('dd', {}, item[1])));
  return list;
}

function withTip(label: string, term: MessageKey): HTMLElement {
  return h('span', { class: 'with-tip' }, label, termTip(label, term));
}
