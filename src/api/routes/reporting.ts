import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { reportingObligations } from '../../analysis/reporting-calendar.js';
import { AppError } from '../../model/errors.js';
import { ReportingObligationSchema } from '../../model/reporting.js';
import type { AppDeps } from '../app.js';
import { AsOfParameter, asOfDate, startOfDayIn } from '../as-of.js';
import { registerList } from './list-route.js';
import { metaFor } from './meta.js';

export function registerReportingRoutes(app: OpenAPIHono, deps: AppDeps): void {
  registerList(app, {
    path: '/v1/reporting/obligations',
    tag: 'Reporting',
    summary:
      'Reports each State Party owes under ATT Art. 13: initial and annual, due dates, grace, status as of a date',
    description:
      'Initial report: due one year after entry into force for the State (EIF + 1 year - 1 day). Annual reports: by ' +
      '31 May for the previous calendar year, with a grace period and deadline time zone that are settings. ' +
      'Status as of a date is taken at the start of that day in the deadline time zone.',
    row: ReportingObligationSchema,
    rowName: 'ReportingObligation',
    spec: {
      filterable: ['kind', 'coveredYear', 'status', 'iso3'],
      sortable: ['dueDate', 'iso3', 'coveredYear', 'kind', 'status'],
      defaultSort: 'dueDate',
      parameters: ['asOf', 'state'],
    },
    parameters: {
      asOf: AsOfParameter,
      state: z
        .string()
        .optional()
        .openapi({ description: 'ISO3 code of one State, e.g. FRA', example: 'FRA' }),
    },
    async load(c, query) {
      const snapshot = await deps.reference.snapshot(c.get('viewer'));
      const asOfParam = c.req.query('asOf');
      const instant = asOfParam
        ? startOfDayIn(asOfDate(c, deps.clock), deps.reporting.timeZone)
        : deps.clock.now();
      const stateParam = query.parameters.get('state')?.toUpperCase();
      let stateId: string | undefined;
      if (stateParam) {
        const state = snapshot.states.find((s) => s.iso3 === stateParam);
        if (!state) {
          throw new AppError('not_found', `no State with ISO3 code "${stateParam}"`, {
            location: { parameter: 'state', value: stateParam },
            hint: 'list valid codes at /v1/states',
          });
        }
        stateId = state.id;
      }
      const rows = reportingObligations(
        snapshot.treatyRecords,
        instant,
        deps.reporting,
        stateId ? { stateId } : undefined,
      );
      return { rows, meta: metaFor(snapshot, ['treaty-status']) };
    },
  });
}
