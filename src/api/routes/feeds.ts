import type { Context } from 'hono';
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { ALERT_EVENT_KINDS, AlertEventSchema, type AlertEventKind } from '../../model/alert-event.js';
import { AppError } from '../../model/errors.js';
import type { AppDeps } from '../app.js';
import { atomFeed } from '../atom.js';
import { MetaSchema } from '../envelope.js';
import { ANYONE_OR_SIGNED_IN, ERRORS } from './access.js';
import { metaFor } from './meta.js';

const FeedQuery = z.object({
  kind: z.string().max(500).optional().openapi({ description: `comma-separated event kinds: ${ALERT_EVENT_KINDS.join(', ')}` }),
  stateId: z.string().regex(/^[A-Z]{3}$/, 'expected an ISO3 code such as FRA').optional().openapi({ description: 'only events about this State' }),
  _size: z.string().regex(/^\d+$/, 'expected a number').optional().openapi({ description: 'entries, newest first (default 50, at most 200)' }),
});

const FeedEventSchema = AlertEventSchema.and(z.object({ url: z.string().openapi({ description: 'the web page, absolute' }) })).openapi('FeedEvent');

const DESCRIPTION =
  'Alert events, newest first: report published, report made private, deadline approaching, embargo changed, treaty ' +
  'status changed (and others as they are added). Anyone reads the public events; a signed-in viewer (session cookie ' +
  'or API key) also reads the private-readers events it is entitled to (ATT Art. 13(3): its own State, the ' +
  'Secretariat, officers of States Parties). Only anonymous answers are cached.';

/** Atom and JSON feeds of alert events (docs/api.md "Feeds"). */
export function registerFeedRoutes(app: OpenAPIHono, deps: AppDeps): void {
  const alerts = deps.alerts;
  if (!alerts) return;

  async function load(c: Context, query: z.infer<typeof FeedQuery>) {
    const kinds = query.kind ? query.kind.split(',').map((k) => k.trim()).filter((k) => k !== '') : [];
    const unknown = kinds.find((k) => !(ALERT_EVENT_KINDS as readonly string[]).includes(k));
    if (unknown !== undefined) {
      throw new AppError('validation', `parameter "kind": "${unknown}" is not an event kind`, {
        location: { parameter: 'kind', value: unknown },
        hint: 'give one or more of the valid values, separated by commas',
        details: { validValues: [...ALERT_EVENT_KINDS] },
      });
    }
    const snapshot = await deps.reference.snapshot(c.get('viewer'));
    if (query.stateId && !snapshot.states.some((s) => s.id === query.stateId)) {
      throw new AppError('not_found', `no State with ISO3 code "${query.stateId}"`, { location: { parameter: 'stateId', value: query.stateId }, hint: 'list valid codes at /v1/states' });
    }
    const size = Math.min(Math.max(Number(query._size ?? 50), 1), 200);
    const events = await alerts!.events.list(c.get('viewer'), {
      ...(kinds.length > 0 ? { kinds: kinds as AlertEventKind[] } : {}),
      ...(query.stateId ? { stateId: query.stateId } : {}),
      limit: size,
    });
    const origin = new URL(c.req.url).origin;
    return { events, origin, snapshot, kinds };
  }

  const atom = createRoute({
    method: 'get',
    path: '/v1/feeds/events.atom',
    tags: ['Alerts'],
    summary: 'Alert events as an Atom 1.0 feed',
    description: DESCRIPTION,
    security: ANYONE_OR_SIGNED_IN,
    'x-att-access': 'anyone; private-readers events to the viewers privateAccess allows',
    request: { query: FeedQuery },
    responses: {
      200: { description: 'Atom 1.0 (RFC 4287)', content: { 'application/atom+xml': { schema: z.string() } } },
      400: ERRORS[400],
      404: ERRORS[404],
    },
  });
  app.openapi(atom, async (c) => {
    const { events, origin, kinds } = await load(c, c.req.valid('query'));
    const query = c.req.valid('query');
    const body = atomFeed({
      selfUrl: c.req.url,
      pageUrl: `${origin}/alerts`,
      title: `ATT Observatory alerts${kinds.length > 0 ? `: ${kinds.join(', ')}` : ''}${query.stateId ? ` (${query.stateId})` : ''}`,
      baseUrl: origin,
      events,
      emptyUpdated: '2013-06-03T00:00:00.000Z',
    });
    return c.body(body, 200, { 'content-type': 'application/atom+xml; charset=utf-8' }) as never;
  });

  const json = createRoute({
    method: 'get',
    path: '/v1/feeds/events.json',
    tags: ['Alerts'],
    summary: 'Alert events as JSON (the same entries as the Atom feed)',
    description: DESCRIPTION,
    security: ANYONE_OR_SIGNED_IN,
    'x-att-access': 'anyone; private-readers events to the viewers privateAccess allows',
    request: { query: FeedQuery },
    responses: {
      200: {
        description: 'the events, newest first',
        content: { 'application/json': { schema: z.object({ rows: z.array(FeedEventSchema), count: z.number().int(), meta: MetaSchema }).openapi('FeedResponse') } },
      },
      400: ERRORS[400],
      404: ERRORS[404],
    },
  });
  app.openapi(json, async (c) => {
    const { events, origin, snapshot } = await load(c, c.req.valid('query'));
    const rows = events.map((e) => ({ ...e, url: new URL(e.link, origin).toString() }));
    return c.json({ rows, count: rows.length, meta: metaFor(snapshot, ['treaty-status', 'embargo-episodes']) }, 200) as never;
  });
}
