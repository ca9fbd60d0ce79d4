import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { AnnotationInputSchema, AnnotationSchema, AnswerInputSchema, ModerationInputSchema } from '../../model/annotation.js';
import { AppError } from '../../model/errors.js';
import type { AppDeps } from '../app.js';
import { requireRole, requireSignedIn, SECRETARIAT_KINDS } from '../auth/guards.js';
import type { Meta } from '../envelope.js';
import { singleEnvelopeSchema } from '../envelope.js';
import { errorResponse, NumericIdParam, roleGuard, SIGNED_IN, signedInGuard } from './access.js';
import { registerList } from './list-route.js';

const error = errorResponse;
const IdParam = NumericIdParam;
const dataSchema = z.object({ data: AnnotationSchema });

const META: Meta = { sources: [{ dataset: 'annotations', source: 'questions and annotations by registered users, moderated by the ATT Secretariat', licence: 'CC BY 4.0 (contributors)', asAt: null }], retrievedAt: '', notices: [] };

const notFound = (id: number) => new AppError('not_found', `no annotation with id ${id}`, { location: { parameter: 'id', value: String(id) }, hint: 'list annotations at /v1/annotations' });

/**
 * Questions and annotations on public reports (and their public rows), moderated by the Secretariat, answered by the
 * reporting State. Visibility is decided by the repository (ATT Art. 13(3): a private row or report hides its
 * annotations; 404 exactly like a missing one).
 */
export function registerAnnotationRoutes(app: OpenAPIHono, deps: AppDeps): void {
  const annotations = deps.annotations;
  if (!annotations) return;
  const meta = (): Meta => ({ ...META, retrievedAt: deps.clock.now().toISOString() });

  registerList(app, {
    path: '/v1/annotations',
    tag: 'Annotations',
    summary: 'Questions and annotations on public reports, with the reporting State\'s answers',
    description:
      'Anonymous viewers and researchers see approved ones whose report (row) is public; a signed-in author also sees ' +
      'their own pending and rejected ones; the Secretariat sees all (its moderation queue is `?status=pending`). ' +
      'An annotation on a row or report that is (or became) private is shown only to viewers entitled to it (ATT Art. 13(3)).',
    row: AnnotationSchema,
    rowName: 'Annotation',
    spec: {
      filterable: ['reportId', 'rowId', 'stateId', 'kind', 'status', 'mine'],
      sortable: ['id', 'createdAt', 'reportId'],
      defaultSort: 'id',
      facetable: ['kind', 'status', 'stateId'],
    },
    async load(c, query) {
      const reportId = query.filters.get('reportId');
      const rows = await annotations.list(c.get('viewer'), reportId?.length === 1 ? { reportId: reportId[0]! } : {});
      return { rows, meta: meta() };
    },
  });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/annotations/{id}',
      tags: ['Annotations'],
      summary: 'One question or annotation, with the State\'s answer',
      description: 'Public when approved and its report (row) is public; its author and the Secretariat see it in every status.',
      request: { params: IdParam },
      responses: {
        200: { description: 'the annotation', content: { 'application/json': { schema: singleEnvelopeSchema('AnnotationResponse', AnnotationSchema) } } },
        400: error('bad parameter'),
        404: error('no annotation with that id that this viewer may see'),
      },
    }),
    async (c) => {
      const id = Number(c.req.valid('param').id);
      const found = await annotations.get(c.get('viewer'), id);
      if (!found) throw notFound(id);
      return c.json({ data: found, meta: meta() }, 200) as never;
    },
  );

  const limit = deps.annotationsPerHour ?? 20;
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/annotations',
      tags: ['Annotations'],
      summary: 'Ask a question or add an annotation on a public report or one of its public rows (pending until moderated)',
      description: `Any signed-in account (session cookie with x-csrf-token, or a researcher's API key). Plain text, at most 2000 characters, stored verbatim. At most ${limit} an hour per account (429 with Retry-After). Audited.`,
      security: SIGNED_IN,
      middleware: [signedInGuard('ask questions or annotate reports')] as never,
      request: { body: { content: { 'application/json': { schema: AnnotationInputSchema } }, required: true } },
      responses: {
        201: { description: 'the pending annotation', content: { 'application/json': { schema: dataSchema } } },
        400: error('invalid body'),
        401: error('not signed in'),
        403: error('a session request without x-csrf-token'),
        404: error('no such report, or no such row in it that this viewer may see'),
        409: error('the report or row is private: it cannot be annotated'),
        429: error('too many posts this hour (Retry-After)'),
      },
    }),
    async (c) => {
      const viewer = requireSignedIn(c.get('viewer'), 'ask questions or annotate reports');
      const result = await annotations.create(viewer, c.req.valid('json'), deps.clock.now());
      if ('retryAfterSeconds' in result) {
        c.header('Retry-After', String(result.retryAfterSeconds));
        throw new AppError('rate_limited', `you have posted ${limit} questions or annotations in the last hour`, {
          hint: `wait ${result.retryAfterSeconds} s (Retry-After) and try again`,
        });
      }
      return c.json({ data: result.annotation }, 201) as never;
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/annotations/{id}/moderation',
      tags: ['Annotations'],
      summary: 'Approve or reject (with a reason) a question or annotation (Secretariat)',
      description: 'Secretariat or admin accounts only (x-csrf-token with a session). Approving publishes it and announces it (`annotation_published`, public); an approved one can later be rejected. Audited.',
      security: SIGNED_IN,
      middleware: [roleGuard(SECRETARIAT_KINDS, 'moderate questions and annotations')] as never,
      request: { params: IdParam, body: { content: { 'application/json': { schema: ModerationInputSchema } }, required: true } },
      responses: {
        200: { description: 'the moderated annotation', content: { 'application/json': { schema: dataSchema } } },
        400: error('invalid body (a rejection needs a reason)'),
        401: error('not signed in'),
        403: error('not the Secretariat, or a session request without x-csrf-token'),
        404: error('no such annotation'),
        409: error('already in that status, or its row is no longer public'),
      },
    }),
    async (c) => {
      const viewer = requireRole(c.get('viewer'), SECRETARIAT_KINDS, 'moderate questions and annotations');
      const data = await annotations.moderate(viewer, Number(c.req.valid('param').id), c.req.valid('json'), deps.clock.now());
      return c.json({ data }, 200) as never;
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/v1/annotations/{id}/answer',
      tags: ['Annotations'],
      summary: 'The reporting State\'s answer to an approved question (its officers; sending again revises it)',
      description: 'State officers of the report\'s State only (x-csrf-token with a session). Shown with the question; audited with before/after; announced (`annotation_published`, public).',
      security: SIGNED_IN,
      middleware: [roleGuard(['state_officer'], 'answer questions on their State\'s reports')] as never,
      request: { params: IdParam, body: { content: { 'application/json': { schema: AnswerInputSchema } }, required: true } },
      responses: {
        200: { description: 'the question with its answer', content: { 'application/json': { schema: dataSchema } } },
        400: error('invalid body'),
        401: error('not signed in'),
        403: error('not an officer of the reporting State, or a session request without x-csrf-token'),
        404: error('no such question that this viewer may see'),
        409: error('not an approved question, or its row is no longer public'),
      },
    }),
    async (c) => {
      const viewer = requireRole(c.get('viewer'), ['state_officer'], 'answer questions on their State\'s reports');
      const data = await annotations.answer(viewer, Number(c.req.valid('param').id), c.req.valid('json').text, deps.clock.now());
      return c.json({ data }, 200) as never;
    },
  );
}
