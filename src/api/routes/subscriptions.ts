import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { AppError } from '../../model/errors.js';
import {
  checkWebhookUrl,
  DeliverySchema,
  SubscriptionInputSchema,
  SubscriptionSchema,
  SubscriptionUpdateSchema,
} from '../../model/subscription.js';
import { ANONYMOUS } from '../../model/viewer.js';
import { requireSignedIn } from '../auth/guards.js';
import type { AppDeps } from '../app.js';
import { ERRORS, SIGNED_IN, signedInGuard } from './access.js';

const Id = z.object({ id: z.string().uuid('expected a subscription id (a UUID)') });
const OWN = 'Any signed-in account (session with x-csrf-token on writes, or API key); each user sees only their own subscriptions: another user\'s answers 404.';

/**
 * Subscriptions per user (any role): which event kinds, optionally one State, by email or webhook. Deliveries are
 * made by the outbox worker (`att outbox run`, or the interval inside `att serve`); the webhook secret is shown once.
 */
export function registerSubscriptionRoutes(app: OpenAPIHono, deps: AppDeps): void {
  const alerts = deps.alerts;
  if (!alerts) return;
  const access = { security: SIGNED_IN, 'x-att-access': 'any signed-in account; own subscriptions only' };
  const ok = <T extends z.ZodTypeAny>(description: string, schema: T) => ({ description, content: { 'application/json': { schema } } });

  async function checkState(stateId: string | null | undefined) {
    if (!stateId) return;
    const snapshot = await deps.reference.snapshot(ANONYMOUS);
    if (!snapshot.states.some((s) => s.id === stateId)) {
      throw new AppError('validation', `"${stateId}" is not a known State`, { location: { parameter: 'stateId', value: stateId }, hint: 'list valid codes at /v1/states' });
    }
  }

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/subscriptions',
      tags: ['Alerts'],
      summary: 'Your subscriptions',
      description: OWN,
      ...access,
      middleware: signedInGuard('list your subscriptions'),
      responses: { 200: ok('your subscriptions', z.object({ rows: z.array(SubscriptionSchema) }).openapi('SubscriptionList')), 401: ERRORS[401] },
    }),
    async (c) => c.json({ rows: await alerts.subscriptions.list(requireSignedIn(c.get('viewer'))) }, 200) as never,
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/subscriptions',
      tags: ['Alerts'],
      summary: 'Subscribe to alert events by email (to your account address) or webhook (signed POST)',
      description:
        `${OWN} A webhook subscription answers with \`webhookSecret\`, shown this once: each delivery carries ` +
        '`x-att-signature: sha256=<hex HMAC-SHA256 of "<x-att-timestamp>.<body>">` made with it. Only events from now ' +
        'on are delivered, and only those you may read when they are delivered.',
      ...access,
      middleware: signedInGuard('subscribe to alerts'),
      request: { body: { content: { 'application/json': { schema: SubscriptionInputSchema } }, required: true } },
      responses: {
        201: ok('the subscription', z.object({ data: SubscriptionSchema, webhookSecret: z.string().nullable().openapi({ description: 'shown once' }) }).openapi('SubscriptionCreated')),
        400: ERRORS[400],
        401: ERRORS[401],
        403: ERRORS[403],
      },
    }),
    async (c) => {
      const viewer = requireSignedIn(c.get('viewer'));
      const input = c.req.valid('json');
      await checkState(input.stateId);
      if (input.webhookUrl !== undefined) checkWebhookUrl(input.webhookUrl, alerts.webhookPrivateAddresses);
      const { subscription, webhookSecret } = await alerts.subscriptions.create(viewer, input, deps.clock.now());
      return c.json({ data: subscription, webhookSecret }, 201) as never;
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/subscriptions/{id}',
      tags: ['Alerts'],
      summary: 'One of your subscriptions',
      description: OWN,
      ...access,
      middleware: signedInGuard('read your subscriptions'),
      request: { params: Id },
      responses: { 200: ok('the subscription', z.object({ data: SubscriptionSchema }).openapi('SubscriptionResponse')), 400: ERRORS[400], 401: ERRORS[401], 404: ERRORS[404] },
    }),
    async (c) => c.json({ data: await alerts.subscriptions.get(requireSignedIn(c.get('viewer')), c.req.valid('param').id) }, 200) as never,
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/v1/subscriptions/{id}',
      tags: ['Alerts'],
      summary: 'Change the kinds or the State of one of your subscriptions',
      description: `${OWN} The channel and webhook URL cannot change: delete and subscribe again (a new secret).`,
      ...access,
      middleware: signedInGuard('change your subscriptions'),
      request: { params: Id, body: { content: { 'application/json': { schema: SubscriptionUpdateSchema } }, required: true } },
      responses: { 200: ok('the subscription', z.object({ data: SubscriptionSchema }).openapi('SubscriptionResponse')), ...ERRORS },
    }),
    async (c) => {
      const viewer = requireSignedIn(c.get('viewer'));
      const change = c.req.valid('json');
      await checkState(change.stateId);
      return c.json({ data: await alerts.subscriptions.update(viewer, c.req.valid('param').id, change, deps.clock.now()) }, 200) as never;
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/subscriptions/{id}',
      tags: ['Alerts'],
      summary: 'Delete one of your subscriptions (and its deliveries)',
      description: OWN,
      ...access,
      middleware: signedInGuard('delete your subscriptions'),
      request: { params: Id },
      responses: { 204: { description: 'deleted' }, 400: ERRORS[400], 401: ERRORS[401], 403: ERRORS[403], 404: ERRORS[404] },
    }),
    async (c) => {
      await alerts.subscriptions.delete(requireSignedIn(c.get('viewer')), c.req.valid('param').id, deps.clock.now());
      return c.body(null, 204) as never;
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/subscriptions/{id}/deliveries',
      tags: ['Alerts'],
      summary: 'The deliveries of one of your subscriptions: status, attempts, last error; for email, the message written',
      description: `${OWN} Only deliveries of events you may read now are listed.`,
      ...access,
      middleware: signedInGuard('read your deliveries'),
      request: { params: Id },
      responses: { 200: ok('newest first', z.object({ rows: z.array(DeliverySchema) }).openapi('DeliveryList')), 400: ERRORS[400], 401: ERRORS[401], 404: ERRORS[404] },
    }),
    async (c) => c.json({ rows: await alerts.subscriptions.deliveries(requireSignedIn(c.get('viewer')), c.req.valid('param').id) }, 200) as never,
  );
}
