import { z } from '@hono/zod-openapi';
import { AlertEventKindSchema, type AlertEvent } from './alert-event.js';
import { AppError } from './errors.js';
import { privateAccess, type Viewer } from './viewer.js';

/**
 * A signed-in user's subscription to alert events: which kinds, optionally one State, delivered by email (to the
 * account's address) or by webhook (a signed POST). Deliveries go through the outbox (src/store/outbox-repository.ts).
 */
export const SUBSCRIPTION_CHANNELS = ['email', 'webhook'] as const;
export const SubscriptionChannelSchema = z.enum(SUBSCRIPTION_CHANNELS);
export type SubscriptionChannel = z.infer<typeof SubscriptionChannelSchema>;

export const SubscriptionInputSchema = z
  .object({
    kinds: z.array(AlertEventKindSchema).min(1).max(20),
    /** Only events about this State (crosswalk id); null or absent: every State. */
    stateId: z.string().regex(/^[A-Z]{3}$/, 'expected an ISO3 code such as FRA').nullable().optional(),
    channel: SubscriptionChannelSchema,
    /** Webhook channel only: where the signed POST goes (http or https). */
    webhookUrl: z.string().trim().max(2000).optional(),
  })
  .strict()
  .refine((s) => (s.channel === 'webhook') === (s.webhookUrl !== undefined), {
    path: ['webhookUrl'],
    message: 'a webhook subscription needs webhookUrl, and an email subscription takes none',
  })
  .openapi('SubscriptionInput');
export type SubscriptionInput = z.infer<typeof SubscriptionInputSchema>;

export const SubscriptionUpdateSchema = z
  .object({
    kinds: z.array(AlertEventKindSchema).min(1).max(20).optional(),
    stateId: z.string().regex(/^[A-Z]{3}$/, 'expected an ISO3 code such as FRA').nullable().optional(),
  })
  .strict()
  .openapi('SubscriptionUpdate');
export type SubscriptionUpdate = z.infer<typeof SubscriptionUpdateSchema>;

export const SubscriptionSchema = z
  .object({
    id: z.string(),
    kinds: z.array(AlertEventKindSchema),
    stateId: z.string().nullable(),
    channel: SubscriptionChannelSchema,
    /** Email: the account's address at delivery time (shown for information). */
    emailTo: z.string().nullable(),
    webhookUrl: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('Subscription');
export type Subscription = z.infer<typeof SubscriptionSchema>;

export const DELIVERY_STATUSES = ['pending', 'delivered', 'dead', 'withheld'] as const;

export const DeliverySchema = z
  .object({
    id: z.number().int(),
    eventId: z.number().int(),
    eventKind: AlertEventKindSchema,
    eventTitle: z.string(),
    channel: SubscriptionChannelSchema,
    /**
     * `pending` (waiting or retrying), `delivered`, `dead` (gave up after the last attempt), `withheld` (the
     * subscriber may no longer read the event, e.g. its State left the treaty: nothing was sent).
     */
    status: z.enum(DELIVERY_STATUSES),
    attempts: z.number().int(),
    nextAttemptAt: z.string().nullable(),
    lastError: z.string().nullable(),
    deliveredAt: z.string().nullable(),
    /** Email deliveries: the message written to the outbox_emails table. */
    email: z.object({ to: z.string(), subject: z.string(), body: z.string() }).nullable(),
  })
  .openapi('Delivery');
export type Delivery = z.infer<typeof DeliverySchema>;

/** Whether a viewer may read an event: the same rule as `alertEventsVisibleTo` (src/store/visibility.ts), in memory. */
export function eventVisibleTo(viewer: Viewer, event: Pick<AlertEvent, 'audience' | 'stateId'>): boolean {
  if (event.audience === 'public') return true;
  const access = privateAccess(viewer);
  switch (access.kind) {
    case 'none':
      return false;
    case 'all':
      return true;
    case 'own-state':
      return event.stateId === access.stateId;
  }
}

/** Whether a subscription asks for an event (kinds, State). Visibility is decided apart (`eventVisibleTo`). */
export function subscriptionMatches(
  subscription: Pick<Subscription, 'kinds' | 'stateId'>,
  event: Pick<AlertEvent, 'kind' | 'stateId'>,
): boolean {
  return subscription.kinds.includes(event.kind) && (subscription.stateId === null || subscription.stateId === event.stateId);
}

/**
 * Checks a webhook URL. Unless `allowPrivate` (setting ATT_WEBHOOK_PRIVATE_ADDRESSES=allow, used by tests on
 * 127.0.0.1), a URL naming this machine or a private network is refused, so that a subscriber cannot make the server
 * call its own internal services. Host names are not resolved here (documented limit: see docs/api.md).
 */
export function checkWebhookUrl(text: string, allowPrivate: boolean): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new AppError('validation', `"${text}" is not a URL`, { location: { parameter: 'webhookUrl', value: text }, hint: 'give an absolute https:// URL' });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new AppError('validation', `a webhook URL must be http or https, not ${url.protocol}`, { location: { parameter: 'webhookUrl', value: text }, hint: 'give an https:// URL' });
  }
  if (url.username || url.password) {
    throw new AppError('validation', 'a webhook URL must not carry a user name or password', { location: { parameter: 'webhookUrl' }, hint: 'verify deliveries with the x-att-signature header instead' });
  }
  if (!allowPrivate && isPrivateHost(url.hostname)) {
    throw new AppError('validation', `webhook host ${url.hostname} is this machine or a private network`, {
      location: { parameter: 'webhookUrl', value: text },
      hint: 'give a public https:// URL (an operator can allow private addresses with ATT_WEBHOOK_PRIVATE_ADDRESSES=allow)',
    });
  }
  return url;
}

function isPrivateHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.local') || host.endsWith('.internal')) return true;
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(host);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return a === 0 || a === 10 || a === 127 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127);
  }
  if (host.includes(':')) return host === '::' || host === '::1' || host.startsWith('fc') || host.startsWith('fd') || host.startsWith('fe80') || host.startsWith('::ffff:');
  return false;
}

export interface AlertSettings {
  /** Absolute base URL of the web app, for links in emails and webhooks (setting ATT_PUBLIC_URL). */
  publicUrl: string;
  /** Days before a due date at which a `deadline_approaching` alert is raised (setting ATT_DEADLINE_ALERT_DAYS). */
  deadlineThresholds: readonly number[];
  webhook: {
    /** Attempts before a delivery is given up (`dead`). */
    maxAttempts: number;
    /** First retry after this long; each further one waits twice as long, up to maxBackoffMs. */
    baseBackoffMs: number;
    maxBackoffMs: number;
    timeoutMs: number;
    /** Allow webhook URLs on this machine or a private network (tests); refused by default. */
    allowPrivate: boolean;
  };
}

export const DEFAULT_ALERT_SETTINGS: AlertSettings = Object.freeze({
  publicUrl: 'http://localhost:8080',
  deadlineThresholds: [30],
  webhook: { maxAttempts: 8, baseBackoffMs: 60_000, maxBackoffMs: 6 * 60 * 60_000, timeoutMs: 10_000, allowPrivate: false },
});
