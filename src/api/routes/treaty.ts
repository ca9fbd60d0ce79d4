import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { treatyStatusAsOf, treatyTimeline } from '../../analysis/treaty-status.js';
import {
  StateTreatyStatusSchema,
  TimelineEventSchema,
  TreatyStatusSummarySchema,
} from '../../model/treaty.js';
import type { AppDeps } from '../app.js';
import { AsOfParameter, asOfDate, parseDateParameter } from '../as-of.js';
import { registerList } from './list-route.js';
import { metaFor } from './meta.js';

export function registerTreatyRoutes(app: OpenAPIHono, deps: AppDeps): void {
  registerList(app, {
    path: '/v1/treaty/status',
    tag: 'Treaty',
    summary: "Each State's ATT status on a date, with counts overall and by region",
    description:
      'Statuses: not_signed, signatory (signed, nothing deposited), deposited_awaiting_eif (deposited, the 90 days of ' +
      'Art. 22(2) not yet run), state_party (in force for it), declared_not_to_become_party. `summary.counts.signed` ' +
      'counts signature events up to the date; `signatory` is a status.',
    row: StateTreatyStatusSchema,
    rowName: 'StateTreatyStatus',
    spec: {
      filterable: ['status', 'iso3', 'm49Region', 'unRegionalGroup', 'actionType'],
      facetable: ['status', 'm49Region', 'unRegionalGroup', 'actionType'],
      sortable: ['name', 'iso3', 'status', 'signatureDate', 'depositDate', 'entryIntoForceDate', 'm49Region'],
      defaultSort: 'name',
      parameters: ['asOf'],
    },
    parameters: { asOf: AsOfParameter },
    extra: { summary: TreatyStatusSummarySchema },
    async load(c) {
      const asOf = asOfDate(c, deps.clock);
      const snapshot = await deps.reference.snapshot(c.get('viewer'));
      const result = treatyStatusAsOf(snapshot.states, snapshot.treatyRecords, asOf);
      return {
        rows: result.states,
        meta: metaFor(snapshot, ['treaty-status', 'states']),
        extra: { summary: { asOf: result.asOf, counts: result.counts, byRegion: result.byRegion } },
      };
    },
  });

  registerList(app, {
    path: '/v1/treaty/timeline',
    tag: 'Treaty',
    summary:
      'Signatures, deposits, entries into force and declarations, in date order, with cumulative counts',
    row: TimelineEventSchema,
    rowName: 'TimelineEvent',
    spec: {
      filterable: ['event', 'iso3', 'stateId'],
      sortable: ['date', 'iso3', 'event'],
      defaultSort: 'date',
      parameters: ['from', 'to'],
    },
    parameters: {
      from: z.string().optional().openapi({ description: 'first date, YYYY-MM-DD' }),
      to: z.string().optional().openapi({ description: 'last date, YYYY-MM-DD' }),
    },
    async load(c) {
      const snapshot = await deps.reference.snapshot(c.get('viewer'));
      const from = c.req.query('from') ? parseDateParameter(c.req.query('from')!, 'from') : undefined;
      const to = c.req.query('to') ? parseDateParameter(c.req.query('to')!, 'to') : undefined;
      const rows = treatyTimeline(snapshot.treatyRecords).filter(
        (e) => (from === undefined || e.date >= from) && (to === undefined || e.date <= to),
      );
      return { rows, meta: metaFor(snapshot, ['treaty-status']) };
    },
  });
}
