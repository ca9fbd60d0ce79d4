import { createHmac } from 'node:crypto';
import { approachingDeadlines, deadlineEvent, obligationKey } from '../analysis/deadline-alerts.js';
import { trackCompliance } from '../analysis/compliance-tracker.js';
import { treatyStatusOn } from '../analysis/treaty-status.js';
import { viewerOf } from '../model/account.js';
import type { AlertEvent } from '../model/alert-event.js';
import type { Clock } from '../model/clock.js';
import { dateInTimeZone } from '../model/dates.js';
import { isAppError } from '../model/errors.js';
import type { ReportingRules } from '../model/reporting.js';
import { checkWebhookUrl, eventVisibleTo, subscriptionMatches, type AlertSettings } from '../model/subscription.js';

export { DEFAULT_ALERT_SETTINGS, type AlertSettings } from '../model/subscription.js';
import { OPERATOR, type Viewer } from '../model/viewer.js';
import type { OutboxRepository, SubscriberRow } from '../store/outbox-repository.js';
import type { ReferenceRepository, ReferenceSnapshot } from '../store/reference-repository.js';
import type { RegistryRepository } from '../store/registry-repository.js';

export interface AlertDeps {
  outbox: OutboxRepository;
  reference: ReferenceRepository;
  registry: RegistryRepository;
  clock: Clock;
  rules: ReportingRules;
  settings: AlertSettings;
  /** The HTTP client for webhooks (tests may pass their own); default: global fetch. */
  fetch?: typeof fetch;
}

/**
 * Raises `deadline_approaching` alerts: reports owed (ATT Art. 13) due within a threshold of today in the deadline
 * zone, with nothing received in the registry. Idempotent: one event per obligation and threshold, however often it
 * runs and in however many processes.
 */
export async function deadlineTick(deps: Pick<AlertDeps, 'outbox' | 'reference' | 'registry' | 'clock' | 'rules' | 'settings'>): Promise<{ approaching: number; appended: number }> {
  const now = deps.clock.now();
  const snapshot = await deps.reference.snapshot(OPERATOR);
  const entries = await deps.registry.list(OPERATOR);
  const { obligations, asOf } = trackCompliance({ records: snapshot.treatyRecords, entries, asOf: now, rules: deps.rules });
  const names = new Map(snapshot.states.map((s) => [s.id as string, s.name]));
  const approaching = approachingDeadlines(obligations, asOf, deps.settings.deadlineThresholds);
  let appended = 0;
  for (const deadline of approaching) {
    const event = deadlineEvent(deadline, names.get(deadline.obligation.stateId) ?? deadline.obligation.stateId, now.toISOString());
    const id = await deps.outbox.appendDeadlineAlert(obligationKey(deadline.obligation), deadline.threshold, deadline.covered, event, now);
    if (id !== null) appended += 1;
  }
  return { approaching: approaching.length, appended };
}

/** The Viewer a subscriber reads as today (ATT Art. 13(3): an officer of a State Party reads private forms). */
export function subscriberViewer(subscriber: SubscriberRow, snapshot: ReferenceSnapshot, now: Date): Viewer {
  const today = dateInTimeZone(now, 'UTC');
  const { user } = subscriber;
  return viewerOf(
    { id: user.id, email: user.email, displayName: '', role: user.role, stateId: user.stateId, createdAt: now, disabled: user.disabled },
    (stateId) => treatyStatusOn(snapshot.treatyRecords.find((r) => r.stateId === stateId), today) === 'state_party',
  );
}

/** Enqueues one delivery per new event and matching subscription whose owner may read the event. */
export async function enqueueDeliveries(deps: Pick<AlertDeps, 'outbox' | 'reference' | 'clock'>): Promise<{ events: number; enqueued: number }> {
  const now = deps.clock.now();
  const snapshot = await deps.reference.snapshot(OPERATOR);
  return deps.outbox.enqueue(
    (event, subscriber) =>
      !subscriber.user.disabled &&
      subscriptionMatches(subscriber.subscription, event) &&
      eventVisibleTo(subscriberViewer(subscriber, snapshot, now), event),
    now,
  );
}

/** `sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">` with the subscription's secret. */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** Wait before attempt `attempt + 1` after `attempt` failures: base * 2^(attempt-1), capped. */
export function backoffMs(attempt: number, settings: AlertSettings['webhook']): number {
  return Math.min(settings.maxBackoffMs, settings.baseBackoffMs * 2 ** Math.max(0, attempt - 1));
}

export function absoluteLink(event: Pick<AlertEvent, 'link'>, publicUrl: string): string {
  return new URL(event.link, publicUrl.endsWith('/') ? publicUrl : `${publicUrl}/`).toString();
}

/** The JSON body of a webhook delivery. */
export function webhookPayload(event: AlertEvent, subscriptionId: string, publicUrl: string) {
  return {
    id: event.id,
    kind: event.kind,
    at: event.at,
    stateId: event.stateId,
    subject: event.subject,
    title: event.title,
    summary: event.summary,
    url: absoluteLink(event, publicUrl),
    audience: event.audience,
    subscriptionId,
  };
}

export function emailMessage(event: AlertEvent, subscriber: SubscriberRow, publicUrl: string) {
  const base = publicUrl.replace(/\/$/, '');
  return {
    to: subscriber.user.email,
    subject: `[ATT Observatory] ${event.title}`,
    body: [
      event.title,
      '',
      event.summary,
      '',
      absoluteLink(event, publicUrl),
      '',
      `-- You receive this because of your ATT Observatory subscription ${subscriber.subscription.id} (${subscriber.subscription.kinds.join(', ')}${subscriber.subscription.stateId ? `, ${subscriber.subscription.stateId}` : ''}).`,
      `Manage or delete it at ${base}/alerts`,
    ].join('\n'),
  };
}

export interface OutboxRunResult {
  delivered: number;
  retried: number;
  dead: number;
  withheld: number;
}

/**
 * Works through the due deliveries once: each is checked against its subscriber's visibility now (a researcher never
 * receives a private-readers event, even if it was enqueued when they could read it), then written to outbox_emails
 * (email) or POSTed, signed (webhook). A failed POST is retried with exponential backoff and given up (`dead`) after
 * `maxAttempts`.
 */
export async function deliverDue(deps: AlertDeps): Promise<OutboxRunResult> {
  const result: OutboxRunResult = { delivered: 0, retried: 0, dead: 0, withheld: 0 };
  const http = deps.fetch ?? fetch;
  const { webhook, publicUrl } = deps.settings;
  for (;;) {
    const now = deps.clock.now();
    // The lease outlasts one POST (timeout) with room to spare; a worker that dies frees its rows after it.
    const claimed = await deps.outbox.claim(now, webhook.timeoutMs * 3 + 30_000);
    if (claimed.length === 0) return result;
    const snapshot = await deps.reference.snapshot(OPERATOR);
    for (const delivery of claimed) {
      const { event, subscriber } = delivery;
      const viewer = subscriberViewer(subscriber, snapshot, now);
      if (subscriber.user.disabled || !eventVisibleTo(viewer, event)) {
        await deps.outbox.withhold(delivery.id, subscriber.user.disabled ? 'the account is disabled' : 'the subscriber may not read this event');
        result.withheld += 1;
        continue;
      }
      if (subscriber.subscription.channel === 'email') {
        await deps.outbox.complete(delivery.id, now, emailMessage(event, subscriber, publicUrl));
        result.delivered += 1;
        continue;
      }
      const error = await postWebhook(http, delivery.id, event, subscriber, deps.settings, now);
      if (error === null) {
        await deps.outbox.complete(delivery.id, deps.clock.now());
        result.delivered += 1;
      } else {
        const attempts = delivery.attempts + 1;
        const last = attempts >= webhook.maxAttempts;
        await deps.outbox.fail(delivery.id, error, last ? null : new Date(deps.clock.now().getTime() + backoffMs(attempts, webhook)));
        if (last) result.dead += 1;
        else result.retried += 1;
      }
    }
  }
}

/** One signed POST; null when the receiver answered 2xx, else what went wrong. */
async function postWebhook(http: typeof fetch, deliveryId: number, event: AlertEvent, subscriber: SubscriberRow, settings: AlertSettings, now: Date): Promise<string | null> {
  const { webhookUrl, webhookSecret, id } = subscriber.subscription;
  if (!webhookUrl || !webhookSecret) return 'the subscription has no webhook URL';
  try {
    checkWebhookUrl(webhookUrl, settings.webhook.allowPrivate);
  } catch (error) {
    return isAppError(error) ? error.message : String(error);
  }
  const body = JSON.stringify(webhookPayload(event, id, settings.publicUrl));
  const timestamp = String(Math.floor(now.getTime() / 1000));
  try {
    const response = await http(webhookUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'ATT-Observatory-Webhook/1',
        'x-att-event-id': String(event.id),
        'x-att-delivery-id': String(deliveryId),
        'x-att-timestamp': timestamp,
        'x-att-signature': webhookSignature(webhookSecret, timestamp, body),
      },
      body,
      // A redirect could lead anywhere (another host, this machine): not followed.
      redirect: 'manual',
      signal: AbortSignal.timeout(settings.webhook.timeoutMs),
    });
    await response.body?.cancel().catch(() => undefined);
    return response.status >= 200 && response.status < 300 ? null : `the receiver answered HTTP ${response.status}`;
  } catch (error) {
    return `the POST failed: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** `att alerts tick`: deadline alerts, then enqueue deliveries for every new event. */
export async function alertsTick(deps: AlertDeps) {
  const deadlines = await deadlineTick(deps);
  const enqueued = await enqueueDeliveries(deps);
  return { deadlines, enqueued };
}

/** `att outbox run --once`: enqueue, then deliver what is due. */
export async function outboxRun(deps: AlertDeps) {
  const enqueued = await enqueueDeliveries(deps);
  const delivered = await deliverDue(deps);
  return { enqueued, delivered };
}
