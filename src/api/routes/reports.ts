import type { Context } from 'hono';
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { AppError } from '../../model/errors.js';
import { ComplianceRatesSchema, MirrorResultSchema, StateComplianceHistorySchema, TransparencyScoreSchema } from '../../model/compliance.js';
import { actorOf } from '../../model/account.js';
import { RecordedReportInputSchema, recordedRegistryEntry, ReportRegistryEntrySchema } from '../../model/report-registry.js';
import { TransferSchema } from '../../model/transfer.js';
import { mirror, reportDetail, reportingRates, stateCompliance, type ReportDeps } from '../../services/reports.js';
import { selectionNotices } from '../../services/tiv.js';
import type { AppDeps } from '../app.js';
import { AsOfParameter, asOfDate, startOfDayIn } from '../as-of.js';
import { singleEnvelopeSchema } from '../envelope.js';
import { ErrorBodySchema, validationError } from '../errors.js';
import { registerList } from './list-route.js';
import { metaFor } from './meta.js';

const errors = {
  400: { description: 'bad parameter', content: { 'application/json': { schema: ErrorBodySchema } } },
  404: { description: 'not found', content: { 'application/json': { schema: ErrorBodySchema } } },
};

export function registerReportRoutes(app: OpenAPIHono, deps: AppDeps): void {
  const { registry, imports, transfers, referenceDir } = deps;
  if (!registry || !imports || !transfers || !referenceDir) return;
  const service: ReportDeps = { reference: deps.reference, registry, imports, transfers, rules: deps.reporting, referenceDir };
  const instantOf = (asOfParam: string | undefined, asOf: ReturnType<typeof asOfDate>) =>
    asOfParam ? startOfDayIn(asOf, deps.reporting.timeZone) : deps.clock.now();
  const meta = async (c: Context, datasets: string[]) => metaFor(await deps.reference.snapshot(c.get('viewer')), datasets);

  registerList(app, {
    path: '/v1/reports',
    tag: 'Reports',
    summary: 'The report registry: each ATT report a State submitted, when, and whether each form is public or private',
    description: 'A private form shows only that it was submitted and is private (ATT Art. 13(3)).',
    row: ReportRegistryEntrySchema,
    rowName: 'ReportRegistryEntry',
    spec: { filterable: ['stateId', 'kind', 'coveredYear', 'origin'], sortable: ['stateId', 'coveredYear', 'submittedOn', 'id'], defaultSort: 'stateId' },
    async load(c) {
      return { rows: await registry.list(c.get('viewer')), meta: await meta(c, ['treaty-status']) };
    },
  });

  const detail = createRoute({
    method: 'get',
    path: '/v1/reports/{id}',
    tags: ['Reports'],
    summary: 'One report: registry entry, its rows (public forms), provenance, and its transparency score with every reason',
    request: { params: z.object({ id: z.string().min(1).max(200) }) },
    responses: {
      200: {
        description: 'the report',
        content: {
          'application/json': {
            schema: singleEnvelopeSchema(
              'ReportResponse',
              z.object({
                entry: ReportRegistryEntrySchema,
                rows: z.array(TransferSchema),
                rowIds: z.array(z.number().int()).openapi({ description: 'the stored id of each row, in the same order (annotations name a row by it)' }),
                score: TransparencyScoreSchema.nullable(),
              }),
            ),
          },
        },
      },
      ...errors,
    },
  });
  app.openapi(detail, async (c) => {
    const data = await reportDetail(service, c.get('viewer'), c.req.valid('param').id);
    return c.json({ data, meta: await meta(c, ['treaty-status']) }, 200) as never;
  });

  const record = createRoute({
    method: 'post',
    path: '/v1/reports',
    tags: ['Reports'],
    summary: 'Record a report received outside this system (Secretariat): State, kind, year, date, forms public or private',
    description: 'Signed-in Secretariat or admin only; a session needs the x-csrf-token header. Every write is audited.',
    request: { body: { content: { 'application/json': { schema: RecordedReportInputSchema } } } },
    responses: {
      201: { description: 'the recorded entry', content: { 'application/json': { schema: z.object({ data: ReportRegistryEntrySchema }) } } },
      400: errors[400],
      401: { description: 'not signed in', content: { 'application/json': { schema: ErrorBodySchema } } },
      403: { description: 'not the Secretariat', content: { 'application/json': { schema: ErrorBodySchema } } },
    },
  });
  app.openapi(record, async (c) => {
    const viewer = c.get('viewer');
    if (viewer.kind === 'anonymous') throw new AppError('unauthenticated', 'sign in to record a report', { hint: 'POST /v1/auth/login' });
    if (viewer.kind !== 'secretariat' && viewer.kind !== 'admin') {
      throw new AppError('forbidden', 'only the Secretariat records reports received outside the system');
    }
    const input = c.req.valid('json');
    const snapshot = await deps.reference.snapshot(viewer);
    if (!snapshot.states.some((s) => s.id === input.stateId && s.kind === 'state')) {
      throw new AppError('validation', `"${input.stateId}" is not the ISO3 code of a State`, { location: { parameter: 'stateId', value: input.stateId } });
    }
    let entry;
    try {
      entry = recordedRegistryEntry(input, deps.clock.now());
    } catch (error) {
      const issues = (error as { issues?: { path: PropertyKey[]; message: string }[] }).issues;
      if (!issues) throw error;
      throw validationError(issues);
    }
    await registry.record(entry, actorOf(viewer), deps.clock.now());
    return c.json({ data: entry }, 201) as never;
  });

  const rates = createRoute({
    method: 'get',
    path: '/v1/compliance/rates',
    tags: ['Reports'],
    summary: 'Reporting rates for a covered year: States Parties obliged, reported, on time, within grace, late, missing, private',
    request: { query: z.object({ year: z.string().regex(/^\d{4}$/, 'expected a year such as 2022'), asOf: AsOfParameter }) },
    responses: {
      200: {
        description: 'rates overall, by M49 region and by UN regional group',
        content: { 'application/json': { schema: singleEnvelopeSchema('RatesResponse', z.object({ asOf: z.string(), definitions: z.unknown(), rates: z.array(ComplianceRatesSchema) })) } },
      },
      ...errors,
    },
  });
  app.openapi(rates, async (c) => {
    const q = c.req.valid('query');
    const asOf = asOfDate(c, deps.clock);
    const data = await reportingRates(service, c.get('viewer'), { coveredYear: Number(q.year), asOf: instantOf(q.asOf, asOf) });
    return c.json({ data, meta: await meta(c, ['treaty-status']) }, 200) as never;
  });

  const history = createRoute({
    method: 'get',
    path: '/v1/compliance/states/{iso3}',
    tags: ['Reports'],
    summary: "One State's reporting record: each report owed, what arrived and when (on time, within grace, late, missing)",
    request: { params: z.object({ iso3: z.string().regex(/^[A-Za-z]{3}$/, 'expected an ISO3 code such as FRA') }), query: z.object({ asOf: AsOfParameter }) },
    responses: {
      200: { description: 'the history', content: { 'application/json': { schema: singleEnvelopeSchema('StateComplianceResponse', StateComplianceHistorySchema) } } },
      ...errors,
    },
  });
  app.openapi(history, async (c) => {
    const iso3 = c.req.valid('param').iso3.toUpperCase();
    const snapshot = await deps.reference.snapshot(c.get('viewer'));
    const state = snapshot.states.find((s) => s.iso3 === iso3);
    if (!state) throw new AppError('not_found', `no State with ISO3 code "${iso3}"`, { location: { parameter: 'iso3', value: iso3 }, hint: 'list valid codes at /v1/states' });
    const asOf = asOfDate(c, deps.clock);
    const data = await stateCompliance(service, c.get('viewer'), { stateId: state.id, asOf: instantOf(c.req.query('asOf'), asOf) });
    return c.json({ data, meta: await meta(c, ['treaty-status']) }, 200) as never;
  });

  registerList(app, {
    path: '/v1/mirror',
    tag: 'Reports',
    summary: "Mirror analysis: what exporters and importers reported about the same flows, and SIPRI's deliveries",
    description: 'Typed results with the rows behind them and the tolerance rule stated; see docs/methods/mirror.md.',
    row: MirrorResultSchema,
    rowName: 'MirrorResult',
    spec: { filterable: ['kind'], sortable: ['exporterId', 'importerId', 'year', 'kind'], defaultSort: 'exporterId', parameters: ['exporterId', 'importerId', 'year'] },
    parameters: {
      exporterId: z.string().optional().openapi({ description: 'crosswalk id of the exporter, e.g. FRA' }),
      importerId: z.string().optional(),
      year: z.string().regex(/^\d{4}$/).optional(),
    },
    async load(c, query) {
      const year = query.parameters.get('year');
      const analysis = await mirror(service, c.get('viewer'), {
        ...(query.parameters.get('exporterId') ? { exporterId: query.parameters.get('exporterId')!.toUpperCase() } : {}),
        ...(query.parameters.get('importerId') ? { importerId: query.parameters.get('importerId')!.toUpperCase() } : {}),
        ...(year ? { year: Number(year) } : {}),
      });
      const base = await meta(c, ['treaty-status']);
      const notices = await selectionNotices(service.imports, c.get('viewer'), analysis.scope);
      return { rows: analysis.results as z.infer<typeof MirrorResultSchema>[], meta: { ...base, notices: [...base.notices, ...notices] } };
    },
  });
}
