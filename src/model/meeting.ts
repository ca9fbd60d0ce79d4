import { z } from '@hono/zod-openapi';
import { isValidIsoDate } from './dates.js';

/**
 * Meetings of the treaty's bodies: Conferences of States Parties (ATT Art. 17), their working groups and preparatory
 * meetings, with their sessions (open or closed to NGOs) and documents. Everything here is public: documents are
 * listed with a link to where they are published, never stored; restricted documents are not modelled (yet).
 */
export const MEETING_KINDS = [
  /** A (regular) Conference of States Parties, Art. 17(1)-(2). */
  'csp',
  /** An extraordinary meeting of the Conference, Art. 17(6). */
  'extraordinary_csp',
  /** Working Group on Transparency and Reporting. */
  'wgtr',
  /** Working Group on Effective Treaty Implementation. */
  'wgeti',
  /** Working Group on Treaty Universalization. */
  'wgtu',
  /** An informal preparatory meeting before a Conference. */
  'preparatory',
  'other',
] as const;
export const MeetingKindSchema = z.enum(MEETING_KINDS).openapi({ description: 'csp, extraordinary_csp, wgtr, wgeti, wgtu, preparatory or other' });
export type MeetingKind = z.infer<typeof MeetingKindSchema>;

/** The six UN official languages (ISO 639-1) and `other`. */
export const DOCUMENT_LANGUAGES = ['ar', 'zh', 'en', 'fr', 'ru', 'es', 'other'] as const;
export const DocumentLanguageSchema = z.enum(DOCUMENT_LANGUAGES);

/** Whether NGOs (civil society observers) may attend a session: the public knows a closed session exists. */
export const NgoAccessSchema = z.enum(['open', 'closed']);

const DateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
  .refine(isValidIsoDate, 'not a real calendar date');

/** One line of plain text: trimmed, no control characters (the web app shows it as text, never as HTML). */
const line = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `at most ${max} characters`)
    .refine((text) => !hasControlCharacters(text, false), 'must be one line of text without control characters');

/** Whether text holds control characters (line breaks and tabs allowed when `multiline`). */
export function hasControlCharacters(text: string, multiline: boolean): boolean {
  for (const char of text) {
    const code = char.charCodeAt(0);
    if (multiline && (code === 9 || code === 10 || code === 13)) continue;
    if (code < 32 || code === 127) return true;
  }
  return false;
}

/**
 * A link to a published document: http or https only (no `javascript:`, `data:` or relative links, which a page
 * would follow on click), without user names or passwords.
 */
export const DocumentLinkSchema = z
  .string()
  .trim()
  .max(2000)
  .refine((text) => {
    try {
      const url = new URL(text);
      return (url.protocol === 'http:' || url.protocol === 'https:') && url.username === '' && url.password === '' && url.hostname !== '';
    } catch {
      return false;
    }
  }, 'expected an http(s) URL such as https://www.thearmstradetreaty.org/...');

export const MeetingInputSchema = z
  .object({
    kind: MeetingKindSchema,
    title: line(300),
    /** The meeting's short number, e.g. `CSP11`; null when it has none. */
    number: line(40).nullable().default(null),
    place: line(200).nullable().default(null),
    startDate: DateSchema,
    endDate: DateSchema,
  })
  .refine((m) => m.endDate >= m.startDate, { path: ['endDate'], message: 'the end date is before the start date' })
  .openapi('MeetingInput');
export type MeetingInput = z.infer<typeof MeetingInputSchema>;

export const MeetingSchema = z
  .object({
    id: z.number().int(),
    kind: MeetingKindSchema,
    title: z.string(),
    number: z.string().nullable(),
    place: z.string().nullable(),
    startDate: z.string(),
    endDate: z.string(),
    /** Calendar year of the start date (for filters). */
    year: z.number().int(),
    sessionCount: z.number().int(),
    documentCount: z.number().int(),
  })
  .openapi('Meeting');
export type Meeting = z.infer<typeof MeetingSchema>;

export const SessionInputSchema = z
  .object({
    title: line(300),
    date: DateSchema,
    /** Local time at the venue, HH:MM, or null when not announced. */
    startTime: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time as HH:MM (24 hours)')
      .nullable()
      .default(null),
    ngoAccess: NgoAccessSchema,
    note: line(1000).nullable().default(null),
  })
  .openapi('MeetingSessionInput');
export type SessionInput = z.infer<typeof SessionInputSchema>;

export const SessionSchema = z
  .object({
    id: z.number().int(),
    meetingId: z.number().int(),
    title: z.string(),
    date: z.string(),
    startTime: z.string().nullable(),
    ngoAccess: NgoAccessSchema,
    note: z.string().nullable(),
  })
  .openapi('MeetingSession');
export type Session = z.infer<typeof SessionSchema>;

export const DocumentInputSchema = z
  .object({
    /** The UN document symbol, e.g. `ATT/CSP10/2024/SEC/123/Conf.Rep`; null for documents without one. */
    symbol: z
      .string()
      .trim()
      .max(120)
      .regex(/^[A-Za-z0-9][A-Za-z0-9./()_\- ]*$/, 'expected a document symbol such as ATT/CSP10/2024/SEC/123/Conf.Rep')
      .nullable()
      .default(null),
    title: line(500),
    date: DateSchema,
    language: DocumentLanguageSchema,
    link: DocumentLinkSchema,
    /** The session the document belongs to (a session of the same meeting), or null for the meeting as a whole. */
    sessionId: z.number().int().min(1).nullable().default(null),
  })
  .openapi('MeetingDocumentInput');
export type DocumentInput = z.infer<typeof DocumentInputSchema>;

export const DocumentSchema = z
  .object({
    id: z.number().int(),
    meetingId: z.number().int(),
    sessionId: z.number().int().nullable(),
    symbol: z.string().nullable(),
    title: z.string(),
    date: z.string(),
    language: DocumentLanguageSchema,
    link: z.string(),
  })
  .openapi('MeetingDocument');
export type MeetingDocument = z.infer<typeof DocumentSchema>;

export const MeetingDetailSchema = MeetingSchema.extend({ sessions: z.array(SessionSchema), documents: z.array(DocumentSchema) }).openapi('MeetingDetail');
export type MeetingDetail = z.infer<typeof MeetingDetailSchema>;
