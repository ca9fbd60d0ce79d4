import { createRoute, z, type OpenAPIHono, type RouteConfig } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { actorOf } from '../../model/account.js';
import { AppError } from '../../model/errors.js';
import { DocumentInputSchema, DocumentSchema, MeetingDetailSchema, MeetingInputSchema, MeetingSchema, SessionInputSchema, SessionSchema } from '../../model/meeting.js';
import type { AppDeps } from '../app.js';
import { requireRole, SECRETARIAT_KINDS } from '../auth/guards.js';
import type { Meta } from '../envelope.js';
import { singleEnvelopeSchema } from '../envelope.js';
import { errorResponse, NumericIdParam, roleGuard } from './access.js';
import { registerList } from './list-route.js';

const error = errorResponse;
const readErrors = { 400: error('bad parameter'), 404: error('no such meeting, session or document') };
/** What every write answers besides success: the security it needs is described here and in `security`. */
const writeErrors = {
  400: error('invalid body (the message names the field)'),
  401: error('not signed in'),
  403: error('not the Secretariat, or a session request without x-csrf-token'),
  404: error('no such meeting, session or document'),
};
/** Writes need a session cookie (with the x-csrf-token header) or an API key of a Secretariat or admin account. */
const SECRETARIAT_ONLY = 'Secretariat or admin accounts only (session cookie with the x-csrf-token header). Audited with before/after; announced as a public `meeting_changed` alert event.';
const IdParam = NumericIdParam;

const EDIT = 'edit meetings, sessions and documents';
const secretariatOnly = roleGuard(SECRETARIAT_KINDS, EDIT);

/** Meetings are public facts of the treaty's life: no Viewer filters them, and their meta names no dataset. */
const META: Meta = { sources: [{ dataset: 'meetings', source: 'recorded by the ATT Secretariat in this deployment', licence: 'facts; documents keep their own terms at their links', asAt: null }], retrievedAt: '', notices: [] };
const meta = (deps: AppDeps): Meta => ({ ...META, retrievedAt: deps.clock.now().toISOString() });

/** Meetings of the Conference of States Parties (ATT Art. 17) and its working groups, their sessions and documents. */
export function registerMeetingRoutes(app: OpenAPIHono, deps: AppDeps): void {
  const meetings = deps.meetings;
  if (!meetings) return;

  registerList(app, {
    path: '/v1/meetings',
    tag: 'Meetings',
    summary: 'Meetings: Conferences of States Parties, extraordinary Conferences, working groups (WGTR, WGETI, WGTU), preparatory meetings',
    description: 'Public. `year` is the year of the start date. Each meeting counts its sessions and documents; see /v1/meetings/{id}.',
    row: MeetingSchema,
    rowName: 'Meeting',
    spec: {
      filterable: ['kind', 'year', 'number', 'place'],
      sortable: ['startDate', 'endDate', 'kind', 'number', 'title', 'id'],
      defaultSort: '-startDate',
      facetable: ['kind', 'year'],
    },
    async load() {
      return { rows: await meetings.list(), meta: meta(deps) };
    },
  });

  registerList(app, {
    path: '/v1/meeting-sessions',
    tag: 'Meetings',
    summary: 'Sessions of every meeting, each marked open or closed to NGOs',
    description: 'Public: a closed session is listed with its marker, so the public knows it exists.',
    row: SessionSchema,
    rowName: 'MeetingSession',
    spec: { filterable: ['meetingId', 'ngoAccess', 'date'], sortable: ['date', 'meetingId', 'id'], defaultSort: 'date', facetable: ['ngoAccess'] },
    async load() {
      return { rows: await meetings.sessions(), meta: meta(deps) };
    },
  });

  registerList(app, {
    path: '/v1/meeting-documents',
    tag: 'Meetings',
    summary: 'Documents of every meeting: UN symbol, title, date, language, link',
    description: 'Public. Every document is public in this version (restricted documents are not recorded here).',
    row: DocumentSchema,
    rowName: 'MeetingDocument',
    spec: { filterable: ['meetingId', 'sessionId', 'language', 'symbol'], sortable: ['date', 'symbol', 'meetingId', 'id'], defaultSort: 'date', facetable: ['language'] },
    async load() {
      return { rows: await meetings.documents(), meta: meta(deps) };
    },
  });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/meetings/{id}',
      tags: ['Meetings'],
      summary: 'One meeting with its sessions (open or closed to NGOs) and its documents',
      description: 'Public.',
      request: { params: IdParam },
      responses: { 200: { description: 'the meeting', content: { 'application/json': { schema: singleEnvelopeSchema('MeetingResponse', MeetingDetailSchema) } } }, ...readErrors },
    }),
    async (c) => {
      const id = Number(c.req.valid('param').id);
      const found = await meetings.get(id);
      if (!found) throw new AppError('not_found', `no meeting with id ${id}`, { location: { parameter: 'id', value: String(id) }, hint: 'list meetings at /v1/meetings' });
      return c.json({ data: found, meta: meta(deps) }, 200) as never;
    },
  );

  /** A Secretariat write: the guard, the body (validated by the route), the clock and the actor. */
  const write = <T>(
    config: { method: 'post' | 'put' | 'delete'; path: string; summary: string; body?: z.ZodType; response?: z.ZodType; status: 200 | 201 | 204 },
    run: (c: Context, id: number, body: T, actor: string, at: Date) => Promise<unknown>,
  ) => {
    const route: RouteConfig = {
      method: config.method,
      path: config.path,
      tags: ['Meetings'],
      summary: config.summary,
      description: SECRETARIAT_ONLY,
      security: [{ session: [] }, { apiKey: [] }],
      // The role before the body is validated (401/403 first), so that a refused caller learns nothing more.
      middleware: [secretariatOnly] as never,
      request: { params: config.path.includes('{id}') ? IdParam : z.object({}), ...(config.body ? { body: { content: { 'application/json': { schema: config.body } }, required: true } } : {}) },
      responses: {
        [config.status]: config.response
          ? { description: 'done', content: { 'application/json': { schema: z.object({ data: config.response }) } } }
          : { description: 'done' },
        ...writeErrors,
      },
    };
    app.openapi(createRoute(route), async (c) => {
      const viewer = requireRole(c.get('viewer'), SECRETARIAT_KINDS, EDIT);
      const params = c.req.valid('param' as never) as { id?: string };
      const body = config.body ? (c.req.valid('json' as never) as T) : (undefined as T);
      const result = await run(c, Number(params.id ?? 0), body, actorOf(viewer), deps.clock.now());
      if (config.status === 204) return c.body(null, 204) as never;
      return c.json({ data: result }, config.status) as never;
    });
  };

  write<z.infer<typeof MeetingInputSchema>>(
    { method: 'post', path: '/v1/meetings', summary: 'Add a meeting (Secretariat)', body: MeetingInputSchema, response: MeetingDetailSchema, status: 201 },
    (_c, _id, body, actor, at) => meetings.createMeeting(body, actor, at),
  );
  write<z.infer<typeof MeetingInputSchema>>(
    { method: 'put', path: '/v1/meetings/{id}', summary: 'Replace a meeting\'s fields (Secretariat)', body: MeetingInputSchema, response: MeetingDetailSchema, status: 200 },
    (_c, id, body, actor, at) => meetings.updateMeeting(id, body, actor, at),
  );
  write(
    { method: 'delete', path: '/v1/meetings/{id}', summary: 'Delete a meeting with its sessions and documents (Secretariat)', status: 204 },
    (_c, id, _body, actor, at) => meetings.deleteMeeting(id, actor, at),
  );
  write<z.infer<typeof SessionInputSchema>>(
    { method: 'post', path: '/v1/meetings/{id}/sessions', summary: 'Add a session to a meeting (Secretariat)', body: SessionInputSchema, response: SessionSchema, status: 201 },
    (_c, id, body, actor, at) => meetings.createSession(id, body, actor, at),
  );
  write<z.infer<typeof SessionInputSchema>>(
    { method: 'put', path: '/v1/meeting-sessions/{id}', summary: 'Replace a session\'s fields (Secretariat)', body: SessionInputSchema, response: SessionSchema, status: 200 },
    (_c, id, body, actor, at) => meetings.updateSession(id, body, actor, at),
  );
  write(
    { method: 'delete', path: '/v1/meeting-sessions/{id}', summary: 'Delete a session; its documents stay with the meeting (Secretariat)', status: 204 },
    (_c, id, _body, actor, at) => meetings.deleteSession(id, actor, at),
  );
  write<z.infer<typeof DocumentInputSchema>>(
    { method: 'post', path: '/v1/meetings/{id}/documents', summary: 'Add a document to a meeting or one of its sessions (Secretariat)', body: DocumentInputSchema, response: DocumentSchema, status: 201 },
    (_c, id, body, actor, at) => meetings.createDocument(id, body, actor, at),
  );
  write<z.infer<typeof DocumentInputSchema>>(
    { method: 'put', path: '/v1/meeting-documents/{id}', summary: 'Replace a document\'s fields (Secretariat)', body: DocumentInputSchema, response: DocumentSchema, status: 200 },
    (_c, id, body, actor, at) => meetings.updateDocument(id, body, actor, at),
  );
  write(
    { method: 'delete', path: '/v1/meeting-documents/{id}', summary: 'Delete a document (Secretariat)', status: 204 },
    (_c, id, _body, actor, at) => meetings.deleteDocument(id, actor, at),
  );
}
