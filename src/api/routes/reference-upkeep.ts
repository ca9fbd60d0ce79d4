import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { actorOf } from '../../model/account.js';
import { EmbargoEpisodeSchema } from '../../model/embargo.js';
import {
  EmbargoAmendmentInputSchema,
  NewEmbargoInputSchema,
  ReferenceAmendmentSchema,
  TreatyAmendmentInputSchema,
  type AmendmentTargetKind,
} from '../../model/reference-amendment.js';
import { TreatyRecordSchema } from '../../model/treaty.js';
import { SECRETARIAT_KINDS } from '../auth/guards.js';
import type { AppDeps } from '../app.js';
import { ERRORS, roleGuard, SIGNED_IN } from './access.js';

const SECRETARIAT_ONLY = 'Secretariat or admin only (session with x-csrf-token, or API key of such an account).';

function resultSchema<T extends z.ZodTypeAny>(name: string, record: T) {
  return z
    .object({
      data: z.object({
        record,
        action: z.enum(['create', 'update']),
        amendmentId: z.number().int(),
        eventId: z.number().int().openapi({ description: 'the public alert event announcing the change' }),
      }),
    })
    .openapi(name);
}

const HistorySchema = z
  .object({
    data: z.object({
      amendments: z.array(ReferenceAmendmentSchema),
      audit: z.array(
        z.object({ id: z.number().int(), at: z.string(), actor: z.string(), action: z.string(), before: z.unknown(), after: z.unknown() }),
      ),
    }),
  })
  .openapi('ReferenceHistory');

/**
 * Reference upkeep (issue 7): the Secretariat records signatures, deposits and embargo episodes between two releases of
 * the reference files. Each write is audited and announced (public alert event) in the same transaction, and seen at
 * once by /v1/treaty/status, /v1/states and /v1/embargoes (the response cache's data version is invalidated).
 */
export function registerReferenceUpkeepRoutes(app: OpenAPIHono, deps: AppDeps): void {
  const alerts = deps.alerts;
  if (!alerts) return;
  const guard = (action: string) => roleGuard(SECRETARIAT_KINDS, action);
  const access = { security: SIGNED_IN, 'x-att-access': 'secretariat, admin' };
  const written = () => deps.dataVersion?.invalidate?.();

  const treaty = createRoute({
    method: 'post',
    path: '/v1/reference/treaty-records/{stateId}',
    tags: ['Reference upkeep'],
    summary: "Record a signature, a deposit or another change to a State's treaty record, with its source",
    description:
      `${SECRETARIAT_ONLY} Fields left out are kept; null clears one. A deposit needs actionType; entry into force is ` +
      'computed by ATT Art. 22 (24 Dec 2014, or deposit + 90 days) unless given. Dates are checked against the treaty ' +
      '(signature 3 Jun 2013 - 24 Dec 2014, Art. 21(1); ratification/acceptance/approval after a signature, accession ' +
      'without one, Art. 21(2)-(3); nothing after today). 201 when the State had no record, else 200.',
    ...access,
    middleware: guard('record treaty actions'),
    request: { params: z.object({ stateId: z.string().regex(/^[A-Z]{3}$/, 'expected an ISO3 code such as AGO') }), body: { content: { 'application/json': { schema: TreatyAmendmentInputSchema } }, required: true } },
    responses: {
      200: { description: 'the record as amended', content: { 'application/json': { schema: resultSchema('TreatyAmendmentResult', TreatyRecordSchema) } } },
      201: { description: 'a new record', content: { 'application/json': { schema: resultSchema('TreatyAmendmentResult', TreatyRecordSchema) } } },
      ...ERRORS,
    },
  });
  app.openapi(treaty, async (c) => {
    const viewer = c.get('viewer');
    const result = await alerts.upkeep.amendTreaty(actorOf(viewer), c.req.valid('param').stateId, c.req.valid('json'), deps.clock.now());
    written();
    return c.json({ data: result }, result.action === 'create' ? 201 : 200) as never;
  });

  const newEmbargo = createRoute({
    method: 'post',
    path: '/v1/reference/embargoes',
    tags: ['Reference upkeep'],
    summary: 'Record a new arms embargo episode (UN, EU or another body) with its source',
    description: `${SECRETARIAT_ONLY} The id is made of authority, first target and start year unless given.`,
    ...access,
    middleware: guard('record embargo episodes'),
    request: { body: { content: { 'application/json': { schema: NewEmbargoInputSchema } }, required: true } },
    responses: {
      201: { description: 'the episode', content: { 'application/json': { schema: resultSchema('EmbargoAmendmentResult', EmbargoEpisodeSchema) } } },
      ...ERRORS,
    },
  });
  app.openapi(newEmbargo, async (c) => {
    const result = await alerts.upkeep.recordEmbargo(actorOf(c.get('viewer')), c.req.valid('json'), deps.clock.now());
    written();
    return c.json({ data: result }, 201) as never;
  });

  const amendEmbargo = createRoute({
    method: 'patch',
    path: '/v1/reference/embargoes/{id}',
    tags: ['Reference upkeep'],
    summary: 'Amend an embargo episode (end date, scope, targets ...) with its source',
    description: `${SECRETARIAT_ONLY} Episodes from the reference files and those recorded here alike.`,
    ...access,
    middleware: guard('amend embargo episodes'),
    request: { params: z.object({ id: z.string().min(1).max(100) }), body: { content: { 'application/json': { schema: EmbargoAmendmentInputSchema } }, required: true } },
    responses: {
      200: { description: 'the episode as amended', content: { 'application/json': { schema: resultSchema('EmbargoAmendmentResult', EmbargoEpisodeSchema) } } },
      ...ERRORS,
    },
  });
  app.openapi(amendEmbargo, async (c) => {
    const result = await alerts.upkeep.amendEmbargo(actorOf(c.get('viewer')), c.req.valid('param').id, c.req.valid('json'), deps.clock.now());
    written();
    return c.json({ data: result }, 200) as never;
  });

  for (const [kind, path, prefix] of [
    ['treaty_record', '/v1/reference/treaty-records/{id}/history', 'treaty'],
    ['embargo_episode', '/v1/reference/embargoes/{id}/history', 'embargo'],
  ] as const) {
    const history = createRoute({
      method: 'get',
      path,
      tags: ['Reference upkeep'],
      summary: `The amendments made in the app to one ${kind === 'treaty_record' ? 'treaty record' : 'embargo episode'}, with their audit rows (who, when, before/after)`,
      description: `${SECRETARIAT_ONLY} A record never amended has empty lists.`,
      ...access,
      middleware: guard('read the history of reference records'),
      request: { params: z.object({ id: z.string().min(1).max(100) }) },
      responses: { 200: { description: 'the history, oldest first', content: { 'application/json': { schema: HistorySchema } } }, ...ERRORS },
    });
    app.openapi(history, async (c) => {
      const viewer = c.get('viewer');
      const id = c.req.valid('param').id;
      const amendments = await alerts.upkeep.amendments(kind as AmendmentTargetKind, id);
      // Oldest first, like the amendments.
      const audit = (await alerts.audit.list(viewer, { target: `${prefix}:${id}`, limit: 1000 })).reverse();
      return c.json({ data: { amendments, audit: audit.map(({ target: _t, ...entry }) => ({ ...entry, at: entry.at.toISOString() })) } }, 200) as never;
    });
  }
}
