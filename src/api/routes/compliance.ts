import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { isSelectionNotice } from '../../analysis/default-register.js';
import { AppError } from '../../model/errors.js';
import { RiskDossierSchema, ScreeningCountsSchema, ScreeningResultSchema, TreatyCoverageSchema } from '../../model/screening.js';
import { coverage, discrepanciesOf, dossier, screenScope } from '../../services/compliance.js';
import { mirror } from '../../services/reports.js';
import { selectionNotices } from '../../services/tiv.js';
import type { AppDeps } from '../app.js';
import { AsOfParameter, asOfDate, startOfDayIn } from '../as-of.js';
import { singleEnvelopeSchema, type Meta } from '../envelope.js';
import { ErrorBodySchema } from '../errors.js';
import { pageRows } from '../list-conventions.js';
import { registerList } from './list-route.js';
import { metaFor } from './meta.js';

const ScreeningRowSchema = z
  .object({
    transferId: z.number().int(),
    importRunId: z.number().int(),
    source: z.string(),
    exporterId: z.string(),
    importerId: z.string().nullable(),
    years: z.array(z.number().int()),
    description: z.string().nullable(),
    tivDelivered: z.string().nullable(),
    outcome: ScreeningResultSchema.shape.outcome,
    episodeIds: z.array(z.string()),
    reason: z.string(),
    result: ScreeningResultSchema,
  })
  .openapi('ScreeningRow');

const year = (value: string | undefined, name: string): number | undefined => {
  if (value === undefined) return undefined;
  if (!/^\d{4}$/.test(value)) throw new AppError('validation', `parameter "${name}" must be a year such as 2014`, { location: { parameter: name, value } });
  return Number(value);
};

export function registerComplianceRoutes(app: OpenAPIHono, deps: AppDeps): void {
  const { imports, transfers } = deps;
  if (!imports || !transfers) return;
  const serviceDeps = { reference: deps.reference, imports, transfers };

  registerList(app, {
    path: '/v1/screening',
    tag: 'Compliance',
    summary: 'Every transfer screened against the UN and EU arms embargo episodes in force on its date (ATT Art. 6(1))',
    description:
      'Outcome flag / possible / inconclusive / clear, with the episodes and the reason. Year-only dates give "possible" ' +
      'when an episode covers part of the year; missing dates give "inconclusive", never "clear". See docs/methods/embargo-screening.md.',
    row: ScreeningRowSchema,
    sipriRows: (row) => row.source === 'sipri',
    rowName: 'ScreeningRow',
    spec: {
      filterable: ['outcome', 'exporterId', 'importerId', 'source', 'importRunId'],
      sortable: ['transferId', 'outcome', 'exporterId', 'importerId'],
      defaultSort: 'transferId',
      facetable: ['outcome', 'importerId', 'exporterId'],
    },
    extra: { summary: z.object({ counts: ScreeningCountsSchema, scope: z.array(z.number().int()) }) },
    async load(c, query) {
      const runIds = query.filters.get('importRunId')?.map(Number);
      if (runIds?.some((id) => !Number.isInteger(id))) throw new AppError('validation', 'parameter "importRunId" must be a whole number', { location: { parameter: 'importRunId' } });
      // importRunId chooses the scope screened; the conventions then filter, facet and page the rows.
      const screening = await screenScope(serviceDeps, c.get('viewer'), runIds);
      const rows = screening.rows.map((r) => ({
        transferId: r.transferId,
        importRunId: r.importRunId,
        source: r.transfer.source,
        exporterId: r.transfer.exporterId,
        importerId: r.transfer.importerId,
        years: r.result.dating.years,
        description: r.transfer.description,
        tivDelivered: r.transfer.tivDelivered,
        outcome: r.result.outcome,
        episodeIds: [...new Set(r.result.episodes.filter((e) => e.outcome !== 'clear').map((e) => e.id))],
        reason: r.result.reason,
        result: r.result,
      }));
      // Counts of the rows matching the filters (all pages), so that a filtered view's summary adds up.
      const matching = pageRows(rows, { ...query, offset: 0, size: Number.MAX_SAFE_INTEGER }).rows;
      const counts = { flag: 0, possible: 0, inconclusive: 0, clear: 0, total: matching.length };
      for (const row of matching) counts[row.outcome] += 1;
      const reference = await deps.reference.snapshot(c.get('viewer'));
      const base = metaFor(reference, ['un-arms-embargoes', 'eu-arms-embargoes']);
      const meta: Meta = { ...base, notices: [...base.notices, ...(await selectionNotices(imports, c.get('viewer'), screening.scope))] };
      return { rows, meta, extra: { summary: { counts, scope: screening.scope } } };
    },
  }, deps.downloads);

  const coverageRoute = createRoute({
    method: 'get',
    path: '/v1/coverage',
    tags: ['Compliance'],
    summary: 'Share of world arms exports and imports (SIPRI TIV) from States Parties, signatories and non-members on a date',
    description: 'The period, the as-of date and the SIPRI release always travel with the figures. TIV is a volume index, not money.',
    request: {
      query: z.object({
        asOf: AsOfParameter,
        from: z.string().openapi({ description: 'first delivery year', example: '2009' }),
        to: z.string().openapi({ description: 'last delivery year', example: '2013' }),
        top: z.string().optional().openapi({ description: 'how many top exporters and importers (default 10)' }),
        importRunId: z.string().optional().openapi({ description: 'a SIPRI register import (default: the whole database of the newest release; docs/data-model.md)' }),
      }),
    },
    responses: {
      200: { description: 'the coverage', content: { 'application/json': { schema: singleEnvelopeSchema('CoverageResponse', TreatyCoverageSchema) } } },
      400: { description: 'bad parameter', content: { 'application/json': { schema: ErrorBodySchema } } },
      404: { description: 'no SIPRI register imported', content: { 'application/json': { schema: ErrorBodySchema } } },
    },
  });
  app.openapi(coverageRoute, async (c) => {
    const q = c.req.valid('query');
    const from = year(q.from, 'from')!;
    const to = year(q.to, 'to')!;
    const top = q.top === undefined ? undefined : Number(q.top);
    if (top !== undefined && (!Number.isInteger(top) || top < 1 || top > 100)) throw new AppError('validation', 'parameter "top" must be a whole number from 1 to 100', { location: { parameter: 'top' } });
    const data = await coverage(serviceDeps, c.get('viewer'), {
      asOf: asOfDate(c, deps.clock),
      from,
      to,
      ...(top !== undefined ? { top } : {}),
      ...(q.importRunId !== undefined ? { importRunId: Number(q.importRunId) } : {}),
    });
    const reference = await deps.reference.snapshot(c.get('viewer'));
    const base = metaFor(reference, ['treaty-status', 'states']);
    const notices = data.caveats.filter(isSelectionNotice);
    return c.json({ data, meta: { ...base, notices: [...base.notices, ...notices] } }, 200) as never;
  });

  const dossierRoute = createRoute({
    method: 'get',
    path: '/v1/states/{iso3}/dossier',
    tags: ['Compliance'],
    summary: 'Risk indicators for a destination, mapped to ATT Arts 6, 7, 11 and 13, each with its source (indicators, never verdicts)',
    request: {
      params: z.object({ iso3: z.string().regex(/^[A-Za-z]{3}$/, 'expected an ISO3 code such as SSD') }),
      query: z.object({ asOf: AsOfParameter }),
    },
    responses: {
      200: { description: 'the dossier', content: { 'application/json': { schema: singleEnvelopeSchema('DossierResponse', RiskDossierSchema) } } },
      400: { description: 'bad parameter', content: { 'application/json': { schema: ErrorBodySchema } } },
      404: { description: 'no such State', content: { 'application/json': { schema: ErrorBodySchema } } },
    },
  });
  app.openapi(dossierRoute, async (c) => {
    const iso3 = c.req.valid('param').iso3.toUpperCase();
    const reference = await deps.reference.snapshot(c.get('viewer'));
    const state = reference.states.find((s) => s.iso3 === iso3);
    if (!state) throw new AppError('not_found', `no State with ISO3 code "${iso3}"`, { location: { parameter: 'iso3', value: iso3 }, hint: 'list valid codes at /v1/states' });
    const asOf = asOfDate(c, deps.clock);
    // Discrepancies in what was reported about transfers to this destination (mirror analysis), when reports exist.
    const discrepancies =
      deps.registry && deps.referenceDir
        ? discrepanciesOf(
            (
              await mirror(
                { ...serviceDeps, registry: deps.registry, referenceDir: deps.referenceDir, rules: deps.reporting },
                c.get('viewer'),
                { importerId: state.id },
              )
            ).results.filter((r) => r.comparison === 'exporter_vs_importer'),
          )
        : undefined;
    const data = await dossier(serviceDeps, c.get('viewer'), {
      ...(discrepancies ? { discrepancies } : {}),
      ...(deps.registry ? { registryEntries: await deps.registry.list(c.get('viewer')) } : {}),
      stateId: state.id,
      asOf,
      instant: c.req.query('asOf') ? startOfDayIn(asOf, deps.reporting.timeZone) : deps.clock.now(),
      rules: deps.reporting,
    });
    return c.json({ data, meta: metaFor(reference, ['un-arms-embargoes', 'eu-arms-embargoes', 'treaty-status']) }, 200) as never;
  });
}
