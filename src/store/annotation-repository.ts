import { sql, type Expression, type SqlBool, type Transaction } from 'kysely';
import { actorOf } from '../model/account.js';
import type { Annotation, AnnotationInput, AnnotationKind, AnnotationStatus, ModerationInput } from '../model/annotation.js';
import { AppError } from '../model/errors.js';
import { ANONYMOUS, type Viewer } from '../model/viewer.js';
import { appendAlertEvent } from './alert-events.js';
import { appendAudit } from './audit-log.js';
import type { Store } from './open-store.js';
import type { Database } from './schema.js';
import { annotationTargetsVisibleTo, rowsVisibleTo } from './visibility.js';

/** A viewer that is a signed-in account (the API's guards give one). */
type Account = Exclude<Viewer, { kind: 'anonymous' } | { kind: 'operator' }>;

const isSecretariat = (viewer: Viewer) => viewer.kind === 'secretariat' || viewer.kind === 'admin' || viewer.kind === 'operator';

/**
 * Which annotations a viewer may read: the target first (annotationTargetsVisibleTo: a private row or report hides
 * its annotations, ATT Art. 13(3)), then moderation: approved ones, the viewer's own, and everything for the
 * Secretariat (which moderates).
 */
function readableBy(viewer: Viewer): Expression<SqlBool> {
  const target = annotationTargetsVisibleTo(viewer);
  if (isSecretariat(viewer)) return target;
  if (viewer.kind === 'anonymous') return sql<SqlBool>`${target} and annotations.status = 'approved'`;
  return sql<SqlBool>`${target} and (annotations.status = 'approved' or annotations.author_id = ${viewer.userId})`;
}

interface Row {
  id: number;
  report_id: string;
  transfer_id: number | null;
  state_id: string;
  kind: AnnotationKind;
  body: string;
  status: AnnotationStatus;
  author_id: string;
  created_at: Date;
  rejection_reason: string | null;
  answer: string | null;
  answered_at: Date | null;
  author_name: string;
  author_role: string;
}

function toAnnotation(row: Row, viewer: Viewer): Annotation {
  const mine = 'userId' in viewer && viewer.userId === row.author_id;
  return {
    id: Number(row.id),
    reportId: row.report_id,
    rowId: row.transfer_id === null ? null : Number(row.transfer_id),
    stateId: row.state_id,
    kind: row.kind,
    text: row.body,
    status: row.status,
    authorName: row.author_name,
    authorRole: row.author_role,
    createdAt: new Date(row.created_at).toISOString(),
    mine,
    rejectionReason: mine || isSecretariat(viewer) ? row.rejection_reason : null,
    answer: row.answer === null || row.answered_at === null ? null : { text: row.answer, answeredAt: new Date(row.answered_at).toISOString() },
  };
}

const notFound = (id: number) =>
  new AppError('not_found', `no annotation with id ${id}`, { location: { parameter: 'id', value: String(id) }, hint: 'list annotations at /v1/annotations' });

/** How a report is named in an alert event's title (public content only: no annotation text, see docs/api.md). */
function reportLabel(record: unknown, stateId: string): string {
  const entry = record as { kind?: string; coveredYear?: number | null };
  const kind = entry.kind ?? 'annual';
  return entry.coveredYear ? `${stateId}'s ${kind} report for ${entry.coveredYear}` : `${stateId}'s ${kind} report`;
}

export interface PostingLimit {
  /** Annotations a user may post in a sliding hour (default 20). */
  perHour: number;
}

/** Questions and annotations on public reports: posting, moderation, answers. Every write is audited. */
export function createAnnotationRepository(store: Store, limit: PostingLimit = { perHour: 20 }) {
  const base = (db: Store['db'] | Transaction<Database>, viewer: Viewer) =>
    db
      .selectFrom('annotations')
      .innerJoin('users', 'users.id', 'annotations.author_id')
      .select([
        'annotations.id',
        'annotations.report_id',
        'annotations.transfer_id',
        'annotations.state_id',
        'annotations.kind',
        'annotations.body',
        'annotations.status',
        'annotations.author_id',
        'annotations.created_at',
        'annotations.rejection_reason',
        'annotations.answer',
        'annotations.answered_at',
        'users.display_name as author_name',
        'users.role as author_role',
      ])
      .where(readableBy(viewer));

  async function find(db: Store['db'] | Transaction<Database>, viewer: Viewer, id: number): Promise<Row | undefined> {
    return (await base(db, viewer).where('annotations.id', '=', id).executeTakeFirst()) as Row | undefined;
  }

  /** Whether the public may see the annotation's target now (approving or answering publishes it). */
  async function targetPublic(trx: Transaction<Database>, id: number): Promise<boolean> {
    const row = await trx.selectFrom('annotations').select('id').where('id', '=', id).where(annotationTargetsVisibleTo(ANONYMOUS)).executeTakeFirst();
    return row !== undefined;
  }

  async function reportOf(trx: Transaction<Database>, reportId: string) {
    return trx.selectFrom('report_registry').select(['id', 'state_id', 'record', 'import_run_id']).where('id', '=', reportId).executeTakeFirst();
  }

  return {
    /** Annotations the viewer may read, oldest first (a conversation reads top-down). */
    async list(viewer: Viewer, filter: { reportId?: string } = {}): Promise<Annotation[]> {
      let query = base(store.db, viewer);
      if (filter.reportId !== undefined) query = query.where('annotations.report_id', '=', filter.reportId);
      const rows = (await query.orderBy('annotations.id').execute()) as Row[];
      return rows.map((row) => toAnnotation(row, viewer));
    },

    async get(viewer: Viewer, id: number): Promise<Annotation | undefined> {
      const row = await find(store.db, viewer, id);
      return row ? toAnnotation(row, viewer) : undefined;
    },

    /**
     * Posts a question or an annotation (pending until the Secretariat approves it). The target must be public: a
     * report with a public form, or a public row of it. A target the viewer may not see is 404, like a missing one.
     */
    async create(viewer: Account, input: AnnotationInput, at: Date): Promise<{ annotation: Annotation } | { retryAfterSeconds: number }> {
      return store.transaction(async (trx) => {
        const hourAgo = new Date(at.getTime() - 60 * 60_000);
        const recent = await trx
          .selectFrom('annotations')
          .select([sql<number>`count(*)::int`.as('n'), sql<Date | null>`min(created_at)`.as('oldest')])
          .where('author_id', '=', viewer.userId)
          .where('created_at', '>', hourAgo)
          .executeTakeFirstOrThrow();
        if (recent.n >= limit.perHour) {
          const oldest = recent.oldest ? new Date(recent.oldest).getTime() : at.getTime();
          return { retryAfterSeconds: Math.max(1, Math.ceil((oldest + 60 * 60_000 - at.getTime()) / 1000)) };
        }
        const report = await reportOf(trx, input.reportId);
        if (!report) {
          throw new AppError('not_found', `no report "${input.reportId}" in the registry`, { location: { parameter: 'reportId', value: input.reportId }, hint: 'list reports at /v1/reports' });
        }
        if (input.rowId === null) {
          const entry = report.record as { exports?: { visibility?: string } | null; imports?: { visibility?: string } | null; reportVisibility?: string | null };
          const hasPublicForm = entry.exports?.visibility === 'public' || entry.imports?.visibility === 'public' || entry.reportVisibility === 'public';
          if (!hasPublicForm) {
            throw new AppError('conflict', `report "${input.reportId}" has no public form: a private report cannot be annotated (ATT Art. 13(3))`, {
              location: { parameter: 'reportId' },
              hint: 'questions and annotations are for public reports and their public rows',
            });
          }
        } else {
          const row = await trx
            .selectFrom('transfers')
            .select('visibility')
            .where('id', '=', input.rowId)
            .where('import_run_id', '=', report.import_run_id ?? -1)
            .where(rowsVisibleTo(viewer))
            .executeTakeFirst();
          if (!row) {
            throw new AppError('not_found', `report "${input.reportId}" has no row ${input.rowId}`, {
              location: { parameter: 'rowId', value: String(input.rowId) },
              hint: `the row ids are listed as rowIds at /v1/reports/${encodeURIComponent(input.reportId)}`,
            });
          }
          if (row.visibility !== 'public') {
            throw new AppError('conflict', `row ${input.rowId} belongs to a private form: private rows cannot be annotated (ATT Art. 13(3))`, {
              location: { parameter: 'rowId' },
              hint: 'questions and annotations are for public reports and their public rows',
            });
          }
        }
        const inserted = await trx
          .insertInto('annotations')
          .values({
            report_id: report.id,
            transfer_id: input.rowId,
            state_id: report.state_id,
            kind: input.kind,
            body: input.text,
            status: 'pending',
            author_id: viewer.userId,
            created_at: at,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        const id = Number(inserted.id);
        await appendAudit(trx, {
          at,
          actor: actorOf(viewer),
          action: 'annotation.create',
          target: `annotation:${id}`,
          before: null,
          after: { reportId: report.id, rowId: input.rowId, kind: input.kind, text: input.text, status: 'pending' },
        });
        return { annotation: toAnnotation((await find(trx, viewer, id))!, viewer) };
      });
    },

    /**
     * The Secretariat approves or rejects (with a reason). Approving publishes it: refused while its target is not
     * public (a row made private since it was posted). Approving announces it (`annotation_published`, public).
     */
    async moderate(viewer: Account, id: number, decision: ModerationInput, at: Date): Promise<Annotation> {
      return store.transaction(async (trx) => {
        const before = await find(trx, viewer, id);
        if (!before) throw notFound(id);
        const status = decision.decision === 'approve' ? 'approved' : 'rejected';
        if (before.status === status) {
          throw new AppError('conflict', `annotation ${id} is already ${status}`, { hint: 'reload the moderation queue' });
        }
        if (status === 'approved' && !(await targetPublic(trx, id))) {
          throw new AppError('conflict', `annotation ${id} is on a row or report that is no longer public: it cannot be published (ATT Art. 13(3))`, {
            hint: 'reject it instead, with a reason',
          });
        }
        const reason = status === 'rejected' ? decision.reason : null;
        await trx
          .updateTable('annotations')
          .set({ status, moderated_at: at, moderated_by: actorOf(viewer), rejection_reason: reason })
          .where('id', '=', id)
          .execute();
        await appendAudit(trx, {
          at,
          actor: actorOf(viewer),
          action: status === 'approved' ? 'annotation.approve' : 'annotation.reject',
          target: `annotation:${id}`,
          before: { status: before.status, rejectionReason: before.rejection_reason },
          after: { status, rejectionReason: reason },
        });
        if (status === 'approved') {
          const report = await reportOf(trx, before.report_id);
          await appendAlertEvent(trx, {
            kind: 'annotation_published',
            at: at.toISOString(),
            stateId: before.state_id,
            subject: `annotation:${id}`,
            title: `A ${before.kind} on ${reportLabel(report?.record, before.state_id)} was published`,
            summary: '',
            link: `/reports/${encodeURIComponent(before.report_id)}`,
            audience: 'public',
          });
        }
        return toAnnotation((await find(trx, viewer, id))!, viewer);
      });
    },

    /**
     * The reporting State's answer to an approved question (ATT: the State speaks for its own report). One answer per
     * question; answering again replaces it (audited with before/after, announced again).
     */
    async answer(viewer: Account, id: number, text: string, at: Date): Promise<Annotation> {
      return store.transaction(async (trx) => {
        const before = await find(trx, viewer, id);
        if (!before) throw notFound(id);
        if (viewer.kind !== 'state_officer' || viewer.stateId !== before.state_id) {
          throw new AppError('forbidden', `only reporting officers of ${before.state_id} may answer questions on its reports`, {
            hint: viewer.kind === 'state_officer' ? `you report for ${viewer.stateId}` : 'sign in as a reporting officer of that State',
          });
        }
        if (before.kind !== 'question' || before.status !== 'approved') {
          throw new AppError('conflict', `annotation ${id} is ${before.kind === 'question' ? `a ${before.status} question` : 'an annotation, not a question'}: only approved questions are answered`, {
            hint: 'answer a question once the Secretariat has approved it',
          });
        }
        if (!(await targetPublic(trx, id))) {
          throw new AppError('conflict', `question ${id} is on a row or report that is no longer public: it cannot be answered publicly`, { hint: 'contact the Secretariat' });
        }
        await trx.updateTable('annotations').set({ answer: text, answered_at: at, answered_by: actorOf(viewer) }).where('id', '=', id).execute();
        await appendAudit(trx, {
          at,
          actor: actorOf(viewer),
          action: 'annotation.answer',
          target: `annotation:${id}`,
          before: before.answer === null ? null : { answer: before.answer },
          after: { answer: text },
        });
        const report = await reportOf(trx, before.report_id);
        await appendAlertEvent(trx, {
          kind: 'annotation_published',
          at: at.toISOString(),
          stateId: before.state_id,
          subject: `annotation:${id}`,
          title: `${before.state_id} ${before.answer === null ? 'answered' : 'revised its answer to'} a question on ${reportLabel(report?.record, before.state_id)}`,
          summary: '',
          link: `/reports/${encodeURIComponent(before.report_id)}`,
          audience: 'public',
        });
        return toAnnotation((await find(trx, viewer, id))!, viewer);
      });
    },
  };
}

export type AnnotationRepository = ReturnType<typeof createAnnotationRepository>;
