import { z } from '@hono/zod-openapi';

/**
 * Something users can be alerted to (Atom feeds, subscriptions, the outbox). Events are written by the write paths
 * in the same transaction as the change they announce (report submitted, reference data amended ...), so an alert
 * never announces a change that rolled back, and a change never goes unannounced.
 *
 * Visibility (ATT Art. 13(3): a State may keep its report private): an event's `audience` says who may read it.
 * `public` events may be read by anyone; `private-readers` events only by viewers whose `privateAccess` covers
 * `stateId` (the State, the Secretariat, States Parties' officers). A private submission is announced publicly only
 * as "submitted, private", never with its content.
 */
export const ALERT_EVENT_KINDS = [
  /** A report (or one of its forms) became public. */
  'report_published',
  /** A report version was submitted with its forms private: the public learns only that it was submitted, private. */
  'report_submitted_private',
  /** An amendment made a previously public form private. */
  'report_made_private',
  /** A report's deadline (31 May, Art. 13(3); initial report within a year, Art. 13(1)) is near and nothing arrived. */
  'deadline_approaching',
  /** An embargo episode was recorded or amended. */
  'embargo_changed',
  /** A signature, ratification/accession deposit or entry into force was recorded or amended. */
  'treaty_status_changed',
  /** A question or annotation on a public report row was approved, or a State answered one. */
  'annotation_published',
  /** A meeting, session or document was added or changed. */
  'meeting_changed',
] as const;
export const AlertEventKindSchema = z.enum(ALERT_EVENT_KINDS);
export type AlertEventKind = z.infer<typeof AlertEventKindSchema>;

export const AlertAudienceSchema = z.enum(['public', 'private-readers']);
export type AlertAudience = z.infer<typeof AlertAudienceSchema>;

export const AlertEventInputSchema = z
  .object({
    kind: AlertEventKindSchema,
    /** When it happened (ISO 8601 instant, from the injected clock). */
    at: z.string().refine((text) => !Number.isNaN(Date.parse(text)), 'expected an ISO 8601 instant'),
    /** The State concerned, if any (crosswalk id). Required for `private-readers` events. */
    stateId: z.string().min(1).max(20).nullable(),
    /** What it is about, stable: `report:<id>`, `embargo:<id>`, `treaty:<stateId>`, `annotation:<id>` ... */
    subject: z.string().min(1).max(300),
    /** One line, shown as the feed entry title; must not contain private content for a `public` event. */
    title: z.string().min(1).max(300),
    summary: z.string().max(2000),
    /** A path in the web app or the API (`/reports/...`), made absolute by the feed. */
    link: z.string().startsWith('/').max(1000),
    audience: AlertAudienceSchema,
  })
  .refine((e) => e.audience === 'public' || e.stateId !== null, {
    path: ['stateId'],
    message: 'a private-readers event names the State whose readers may see it',
  })
  .openapi('AlertEventInput');
export type AlertEventInput = z.infer<typeof AlertEventInputSchema>;

export const AlertEventSchema = AlertEventInputSchema.and(z.object({ id: z.number().int().min(1) })).openapi('AlertEvent');
export type AlertEvent = AlertEventInput & { id: number };
