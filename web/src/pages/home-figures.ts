/**
 * The home page's key figures (next to the map) and its "share of the arms trade" section (SIPRI TIV by the treaty
 * status of exporters and importers on the chosen date, /v1/coverage).
 */
import {
  apiHref,
  fetchData,
  fetchList,
  fetchRatesForYears,
  isAbort,
  isMissingEndpoint,
  isNoData,
  normaliseCoverage,
  type ComplianceRate,
  type Coverage,
  type CoverageParty,
  type CoverageSide,
} from '../api/data.js';
import type { StatusCounts } from '../api/types.js';
import { dataActions } from '../components/data-actions.js';
import { h, replaceChildren, uid } from '../components/dom.js';
import { shareBars, type ShareItem, type ShareRest } from '../components/share-bars.js';
import { statusBadge } from '../components/status-badge.js';
import { termTip } from '../components/term.js';
import { tivAmount } from '../components/values.js';
import {
  formatDate,
  formatNumber,
  formatPercent,
  t,
  textLang,
  tMaybe,
  type MessageKey,
} from '../i18n/index.js';
import { embargoesHref, parseEmbargoesState } from '../state/embargoes-state.js';
import { todayUtc } from '../state/dates.js';
import { coveragePeriod, latestRate, restOf } from '../state/shares.js';
import { stateHref } from '../state/state-page-state.js';
import { complianceHref, parseComplianceState } from '../state/compliance-view.js';

// --- key figures ---

export interface KeyFigures {
  element: HTMLElement;
  update(asOf: string | null, shown: string | null, counts: StatusCounts | null): void;
}

interface Figure {
  value: HTMLElement;
  detail: HTMLElement;
}

function figure(key: string, label: string, term: MessageKey | null): { li: HTMLElement; figure: Figure } {
  const value = h('span', { class: 'figure-value' }, '…');
  const detail = h('span', { class: 'figure-detail' });
  const li = h(
    'li',
    { class: 'figure', 'data-figure': key },
    h('span', { class: 'figure-label' }, label, term ? termTip(label, term) : null),
    value,
    detail,
  );
  return { li, figure: { value, detail } };
}

export function keyFigures(): KeyFigures {
  const parties = figure('stateParties', t('figures.stateParties'), 'term.stateParty');
  const rate = figure('reportingRate', t('figures.reportingRate'), 'term.reportingRate');
  const privateShare = figure('privateShare', t('figures.privateShare'), 'term.private');
  const embargoes = figure('openEmbargoes', t('figures.openEmbargoes'), 'term.embargo');
  const element = h(
    'aside',
    { class: 'key-figures', 'aria-labelledby': 'figures-h' },
    h('h2', { id: 'figures-h' }, t('figures.heading')),
    h('ul', {}, parties.li, rate.li, privateShare.li, embargoes.li),
  );
  let ratesPromise: Promise<ComplianceRate[] | null> | null = null;
  let lastRatesKey: string | null = null;
  let request = 0;

  const unavailable = (f: Figure) => {
    f.value.textContent = t('value.notAvailableShort');
    f.value.classList.add('unavailable');
    f.detail.textContent = t('figures.notAvailable');
  };

  return {
    element,
    update(asOf, shown, counts) {
      const mine = ++request;
      const date = asOf ?? shown ?? todayUtc();
      parties.figure.value.textContent = counts ? formatNumber(counts.stateParty) : '…';
      parties.figure.detail.textContent = t('figures.onDate', { date: formatDate(date) });

      // The last two covered years: the latest one whose deadline has passed for most States Parties is shown.
      const year = Number(date.slice(0, 4));
      const ratesKey = `${asOf ?? ''}`;
      if (ratesKey !== lastRatesKey) {
        lastRatesKey = ratesKey;
        ratesPromise = fetchRatesForYears([year - 1, year - 2], { asOf })
          .then((answer) => answer.rows)
          .catch((err: unknown) => {
            if (!isMissingEndpoint(err)) lastRatesKey = null;
            return null;
          });
      }
      void ratesPromise!.then((rates) => {
        if (mine !== request) return;
        const latest = rates ? latestRate(rates) : null;
        if (!latest) {
          unavailable(rate.figure);
          unavailable(privateShare.figure);
          return;
        }
        const href = complianceHref({ ...parseComplianceState(''), year: latest.coveredYear });
        rate.figure.value.classList.remove('unavailable');
        rate.figure.value.replaceChildren(
          latest.reported?.percent != null
            ? formatPercent(latest.reported.percent, 1)
            : t('value.notAvailableShort'),
        );
        rate.figure.detail.replaceChildren(
          h(
            'a',
            { href },
            t('figures.reportingRate.detail', {
              year: String(latest.coveredYear),
              reported: latest.reported?.numerator ?? 0,
              obliged: latest.reported?.denominator ?? 0,
            }),
          ),
        );
        const any = latest.anyFormPrivate;
        privateShare.figure.value.classList.toggle('unavailable', any?.percent == null);
        privateShare.figure.value.textContent =
          any?.percent != null ? formatPercent(any.percent, 0) : t('value.notAvailableShort');
        privateShare.figure.detail.textContent =
          any && any.denominator > 0
            ? t('figures.privateShare.detail', {
                year: String(latest.coveredYear),
                count: any.denominator,
                wholly: latest.private?.numerator ?? 0,
              })
            : t('figures.registryEmpty');
      });

      embargoes.figure.value.textContent = '…';
      fetchList('/v1/embargoes', { asOf: date, _size: 1 }, () => null)
        .then((answer) => {
          if (mine !== request) return;
          embargoes.figure.value.textContent = formatNumber(answer.count);
          embargoes.figure.detail.replaceChildren(
            h(
              'a',
              { href: embargoesHref({ ...parseEmbargoesState(''), asOf: date }) },
              t('figures.openEmbargoes.detail', { date: formatDate(date) }),
            ),
          );
        })
        .catch(() => {
          if (mine === request) unavailable(embargoes.figure);
        });
    },
  };
}

// --- share of the arms trade ---

export interface CoverageView {
  element: HTMLElement;
  update(asOf: string | null, shown: string | null): void;
}

function items(parties: readonly CoverageParty[]): ShareItem[] {
  return parties.map((p) => ({
    id: p.stateId,
    label: p.name,
    href: p.kind === 'state' && /^[A-Z]{3}$/.test(p.stateId) ? stateHref(p.stateId, null) : undefined,
    sharePercent: p.sharePercent,
    valueText: t('coverage.tiv', { value: tivAmount(p.tiv) }),
    extra: p.status ? statusBadge(p.status) : undefined,
  }));
}

/** The rest of a side, formatted for the share bars. */
function rest(side: CoverageSide, listed: readonly CoverageParty[]): Omit<ShareRest, 'load'> | null {
  const left = restOf(side, listed);
  return left
    ? {
        states: left.states,
        others: left.others,
        sharePercent: left.sharePercent,
        valueText: t('coverage.tiv', { value: tivAmount(left.tiv) }),
      }
    : null;
}

export function coverageView(): CoverageView {
  const headingId = uid('cov-h');
  const heading = h('h2', { id: headingId }, t('coverage.heading'));
  const body = h(
    'div',
    { class: 'coverage-body', 'aria-busy': 'true' },
    h('p', { class: 'muted' }, t('loading')),
  );
  const element = h('section', { class: 'coverage-section', 'aria-labelledby': headingId }, heading, body);
  let request = 0;
  let controller: AbortController | null = null;

  async function fetchCoverage(
    date: string,
    period: { from: number; to: number },
    top: number,
    signal: AbortSignal,
  ): Promise<Coverage> {
    const answer = await fetchData(
      '/v1/coverage',
      { asOf: date, from: period.from, to: period.to, top },
      signal,
    );
    return normaliseCoverage(answer.data);
  }

  return {
    element,
    update(asOf, shown) {
      const mine = ++request;
      controller?.abort();
      controller = new AbortController();
      const signal = controller.signal;
      const date = asOf ?? shown ?? todayUtc();
      let period = coveragePeriod(date);
      body.setAttribute('aria-busy', 'true');
      void (async () => {
        try {
          let coverage = await fetchCoverage(date, period, 10, signal);
          // A release generated in year Y has no full year Y: end the period the year before.
          const generated = coverage.release.dataGenerated
            ? Number(coverage.release.dataGenerated.slice(0, 4))
            : null;
          if (generated !== null && generated <= period.to) {
            period = { from: generated - 5, to: generated - 1 };
            coverage = await fetchCoverage(date, period, 10, signal);
          }
          if (mine !== request) return;
          render(coverage, date, period, signal);
        } catch (err) {
          if (isAbort(err) || mine !== request) return;
          body.setAttribute('aria-busy', 'false');
          replaceChildren(
            body,
            h(
              'p',
              { class: 'muted' },
              isMissingEndpoint(err)
                ? t('profile.notAvailable')
                : isNoData(err)
                  ? h('span', { lang: textLang() === 'en' ? null : 'en' }, err.message)
                  : t('coverage.error'),
            ),
          );
        }
      })();
    },
  };

  function render(
    coverage: Coverage,
    date: string,
    period: { from: number; to: number },
    signal: AbortSignal,
  ): void {
    body.setAttribute('aria-busy', 'false');
    heading.textContent = t('coverage.headingPeriod', { from: String(period.from), to: String(period.to) });
    if (coverage.exports.totalTiv === 0) {
      replaceChildren(
        body,
        h('p', {}, t('coverage.none', { from: String(period.from), to: String(period.to) })),
      );
      return;
    }
    const share = (side: CoverageSide, bucket: string) =>
      side.buckets.find((b) => b.bucket === bucket)?.sharePercent ?? 0;
    const sides = (['exports', 'imports'] as const).map((key) => {
      const side = coverage[key];
      const left = rest(side, side.top);
      const load = async () => {
        const all = await fetchCoverage(date, period, 100, signal);
        const more = all[key].top.slice(side.top.length);
        const after = rest(all[key], all[key].top);
        return { items: items(more), rest: after ? { ...after, load: null } : null };
      };
      return h(
        'div',
        { class: 'coverage-side', 'data-side': key },
        h('h3', {}, t(`coverage.${key}` as MessageKey)),
        shareBars({
          label: t(`coverage.${key}.label` as MessageKey, {
            from: String(period.from),
            to: String(period.to),
          }),
          items: items(side.top),
          rest: left ? { ...left, load } : null,
        }),
      );
    });
    const bucketKeys = [
      ...new Set([...coverage.exports.buckets, ...coverage.imports.buckets].map((b) => b.bucket)),
    ];
    const csvRows = [
      ['side', 'rank', 'id', 'name', 'status', 'tiv', 'sharePercent'],
      ...(['exports', 'imports'] as const).flatMap((key) =>
        coverage[key].top.map((p) => [
          key,
          p.rank,
          p.stateId,
          p.name,
          p.status ?? p.bucket,
          p.tiv,
          p.sharePercent,
        ]),
      ),
      ...(['exports', 'imports'] as const).flatMap((key) => {
        const left = restOf(coverage[key], coverage[key].top);
        return left
          ? [
              [
                key,
                null,
                'others',
                `all others (${left.states} States, ${left.others} other parties)`,
                null,
                Number(left.tiv.toFixed(2)),
                Number(left.sharePercent.toFixed(2)),
              ],
            ]
          : [];
      }),
      ...(['exports', 'imports'] as const).flatMap((key) =>
        coverage[key].buckets.map((b) => [
          key,
          null,
          `bucket:${b.bucket}`,
          b.bucket,
          b.bucket,
          b.tiv,
          b.sharePercent,
        ]),
      ),
    ];
    replaceChildren(
      body,
      h(
        'p',
        { class: 'intro' },
        t('coverage.intro', {
          date: formatDate(date),
          exports: formatPercent(share(coverage.exports, 'state_party'), 1),
          imports: formatPercent(share(coverage.imports, 'state_party'), 1),
          from: String(period.from),
          to: String(period.to),
        }),
        ' ',
        h('span', { class: 'with-tip' }, t('term.tiv.short'), termTip(t('term.tiv.short'), 'term.tiv')),
      ),
      h('div', { class: 'coverage-sides' }, ...sides),
      h(
        'details',
        { class: 'chart-data' },
        h('summary', {}, t('coverage.byStatus')),
        h(
          'div',
          { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-label': t('coverage.byStatus') },
          h(
            'table',
            { class: 'data-table' },
            h('caption', { class: 'visually-hidden' }, t('coverage.byStatus')),
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                h('th', { scope: 'col' }, t('table.col.status')),
                h('th', { scope: 'col', class: 'num' }, t('coverage.exports')),
                h('th', { scope: 'col', class: 'num' }, t('coverage.imports')),
              ),
            ),
            h(
              'tbody',
              {},
              ...bucketKeys.map((bucket) =>
                h(
                  'tr',
                  {},
                  h('th', { scope: 'row' }, tMaybe(`bucket.${bucket}`, bucket.replace(/_/g, ' '))),
                  h('td', { class: 'num' }, formatPercent(share(coverage.exports, bucket), 2)),
                  h('td', { class: 'num' }, formatPercent(share(coverage.imports, bucket), 2)),
                ),
              ),
            ),
          ),
        ),
      ),
      coverage.caveats.length
        ? h(
            'details',
            { class: 'caveats-box' },
            h('summary', {}, t('coverage.caveats')),
            h(
              'ul',
              { lang: textLang() === 'en' ? null : 'en' },
              ...coverage.caveats.map((c) => h('li', {}, c)),
            ),
          )
        : null,
      dataActions({
        title: t('coverage.headingPeriod', { from: String(period.from), to: String(period.to) }),
        csv: { rows: csvRows },
        sipri: true,
        sources: [apiHref('/v1/coverage', { asOf: date, from: period.from, to: period.to })].map((u) =>
          t('coverage.apiSource', { url: u }),
        ),
      }),
    );
  }
}
