import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { treatyStatusOn } from '../../analysis/treaty-status.js';
import { AppError } from '../../model/errors.js';
import { StateSchema } from '../../model/state.js';
import { TreatyRecordSchema, TreatyStatusSchema } from '../../model/treaty.js';
import type { AppDeps } from '../app.js';
import { AsOfParameter, asOfDate } from '../as-of.js';
import { singleEnvelopeSchema } from '../envelope.js';
import { ErrorBodySchema } from '../errors.js';
import { registerList } from './list-route.js';
import { metaFor } from './meta.js';

const StateDetailSchema = StateSchema.extend({
  aliases: z
    .array(z.string())
    .openapi({ description: 'names used for this State by sources (SIPRI, UNTC ...)' }),
  treaty: TreatyRecordSchema.nullable(),
  status: TreatyStatusSchema,
  asOf: z.string(),
}).openapi('StateDetail');

export function registerStateRoutes(app: OpenAPIHono, deps: AppDeps): void {
  registerList(app, {
    path: '/v1/states',
    tag: 'States',
    summary: 'The States crosswalk: codes, names, regions, UN regional groups',
    description:
      'Current States, historical States (ids H-...) and non-State actors (ids N-...) that sources name. ' +
      '`q` searches names and aliases.',
    row: StateSchema,
    rowName: 'State',
    spec: {
      filterable: ['kind', 'iso2', 'iso3', 'm49', 'm49Region', 'm49Subregion', 'unRegionalGroup'],
      facetable: ['kind', 'm49Region', 'unRegionalGroup'],
      sortable: ['name', 'iso3', 'id', 'm49Region', 'unRegionalGroup'],
      defaultSort: 'name',
      parameters: ['q'],
    },
    parameters: {
      q: z.string().optional().openapi({ description: 'case-insensitive search in names and aliases' }),
    },
    async load(c, query) {
      const snapshot = await deps.reference.snapshot(c.get('viewer'));
      const q = query.parameters.get('q')?.trim().toLowerCase();
      let rows = snapshot.states;
      if (q) {
        const aliasHits = new Set(
          snapshot.aliases.filter((a) => a.alias.toLowerCase().includes(q)).map((a) => a.stateId),
        );
        rows = rows.filter(
          (s) => s.name.toLowerCase().includes(q) || aliasHits.has(s.id) || s.iso3?.toLowerCase() === q,
        );
      }
      return { rows, meta: metaFor(snapshot, ['states']) };
    },
  });

  const route = createRoute({
    method: 'get',
    path: '/v1/states/{iso3}',
    tags: ['States'],
    summary: 'One State: codes, region, aliases, treaty record and status as of a date',
    request: {
      params: z.object({
        iso3: z
          .string()
          .regex(/^[A-Za-z]{3}$/, 'expected a three-letter ISO 3166-1 alpha-3 code such as FRA')
          .openapi({ example: 'FRA' }),
      }),
      query: z.object({ asOf: AsOfParameter }),
    },
    responses: {
      200: {
        description: 'the State',
        content: { 'application/json': { schema: singleEnvelopeSchema('StateResponse', StateDetailSchema) } },
      },
      400: {
        description: 'malformed code or date',
        content: { 'application/json': { schema: ErrorBodySchema } },
      },
      404: { description: 'no such State', content: { 'application/json': { schema: ErrorBodySchema } } },
    },
  });
  app.openapi(route, async (c) => {
    const iso3 = c.req.valid('param').iso3.toUpperCase();
    const asOf = asOfDate(c, deps.clock);
    const snapshot = await deps.reference.snapshot(c.get('viewer'));
    const state = snapshot.states.find((s) => s.iso3 === iso3);
    if (!state) {
      throw new AppError('not_found', `no State with ISO3 code "${iso3}"`, {
        location: { parameter: 'iso3', value: iso3 },
        hint: 'list valid codes at /v1/states (or /v1/states.csv)',
      });
    }
    const treaty = snapshot.treatyRecords.find((r) => r.stateId === state.id) ?? null;
    const data = {
      ...state,
      aliases: [
        ...new Set(
          snapshot.aliases
            .filter((a) => a.stateId === state.id && a.alias !== state.name)
            .map((a) => a.alias),
        ),
      ],
      treaty,
      status: treatyStatusOn(treaty ?? undefined, asOf),
      asOf,
    };
    return c.json({ data, meta: metaFor(snapshot, ['states', 'treaty-status']) }, 200) as never;
  });
}
