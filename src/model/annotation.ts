import { z } from '@hono/zod-openapi';
import { hasControlCharacters } from './meeting.js';

/**
 * Questions and annotations by signed-in users on public ATT reports (the report as a whole, or one public row of
 * it). Plain text, stored verbatim: the web app renders it as text, never as HTML. Moderated by the Secretariat
 * (pending -> approved | rejected); only approved ones are public. The reporting State's officers may answer an
 * approved question (one answer per question, which they may revise).
 *
 * ATT Art. 13(3): a State may keep a report (form) private. A private row or a report without a public form can
 * never be annotated, and an annotation whose row (or report) is private, or becomes so later, is shown only to
 * viewers entitled to the private form (404 to everyone else, exactly like a missing one).
 */
export const ANNOTATION_TEXT_MAX = 2000;

export const AnnotationKindSchema = z.enum(['question', 'annotation']);
export type AnnotationKind = z.infer<typeof AnnotationKindSchema>;

export const AnnotationStatusSchema = z.enum(['pending', 'approved', 'rejected']);
export type AnnotationStatus = z.infer<typeof AnnotationStatusSchema>;

/** Multi-line plain text: trimmed, no control characters other than line breaks and tabs. */
export const PlainTextSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(ANNOTATION_TEXT_MAX, `at most ${ANNOTATION_TEXT_MAX} characters`)
  .refine((text) => !hasControlCharacters(text, true), 'must be plain text without control characters');

export const AnnotationInputSchema = z
  .object({
    reportId: z.string().min(1).max(200),
    /** A transfer row of the report (its id in /v1/transfers and `rowIds` of /v1/reports/{id}); null: the report as a whole. */
    rowId: z.number().int().min(1).nullable().default(null),
    kind: AnnotationKindSchema,
    text: PlainTextSchema,
  })
  .openapi('AnnotationInput');
export type AnnotationInput = z.infer<typeof AnnotationInputSchema>;

export const ModerationInputSchema = z
  .object({
    decision: z.enum(['approve', 'reject']),
    /** Required when rejecting: the author is told why. */
    reason: z.string().trim().max(1000).nullable().default(null),
  })
  .refine((m) => m.decision === 'approve' || (m.reason !== null && m.reason.length > 0), {
    path: ['reason'],
    message: 'a rejection needs a reason',
  })
  .openapi('ModerationInput');
export type ModerationInput = z.infer<typeof ModerationInputSchema>;

export const AnswerInputSchema = z.object({ text: PlainTextSchema }).openapi('AnswerInput');

export const AnnotationSchema = z
  .object({
    id: z.number().int(),
    reportId: z.string(),
    rowId: z.number().int().nullable(),
    /** The reporting State of the report (crosswalk id). */
    stateId: z.string(),
    kind: AnnotationKindSchema,
    text: z.string(),
    status: AnnotationStatusSchema,
    authorName: z.string(),
    authorRole: z.string(),
    createdAt: z.string(),
    /** Whether the viewer wrote it (so the web app can mark their own pending ones). */
    mine: z.boolean(),
    /** Given to the author and the Secretariat only. */
    rejectionReason: z.string().nullable(),
    /** The reporting State's answer to an approved question, or null. */
    answer: z.object({ text: z.string(), answeredAt: z.string() }).nullable(),
  })
  .openapi('Annotation');
export type Annotation = z.infer<typeof AnnotationSchema>;
