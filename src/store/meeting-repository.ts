import { sql, type Selectable, type Transaction } from 'kysely';
import { AppError } from '../model/errors.js';
import type { DocumentInput, Meeting, MeetingDetail, MeetingDocument, MeetingInput, Session, SessionInput } from '../model/meeting.js';
import { appendAlertEvent } from './alert-events.js';
import { appendAudit } from './audit-log.js';
import type { CivilSocietyTables } from './civil-society-tables.js';
import type { Store } from './open-store.js';
import type { Database } from './schema.js';

type MeetingRow = Selectable<CivilSocietyTables['meetings']> & { session_count?: number; document_count?: number };

function toMeeting(row: MeetingRow): Meeting {
  return {
    id: Number(row.id),
    kind: row.kind as Meeting['kind'],
    title: row.title,
    number: row.number,
    place: row.place,
    startDate: row.start_date,
    endDate: row.end_date,
    year: Number(row.start_date.slice(0, 4)),
    sessionCount: Number(row.session_count ?? 0),
    documentCount: Number(row.document_count ?? 0),
  };
}

function toSession(row: Selectable<CivilSocietyTables['meeting_sessions']>): Session {
  return {
    id: Number(row.id),
    meetingId: Number(row.meeting_id),
    title: row.title,
    date: row.date,
    startTime: row.start_time,
    ngoAccess: row.ngo_access,
    note: row.note,
  };
}

function toDocument(row: Selectable<CivilSocietyTables['meeting_documents']>): MeetingDocument {
  return {
    id: Number(row.id),
    meetingId: Number(row.meeting_id),
    sessionId: row.session_id === null ? null : Number(row.session_id),
    symbol: row.symbol,
    title: row.title,
    date: row.date,
    language: row.language as MeetingDocument['language'],
    link: row.link,
  };
}

const notFound = (what: string, id: number) =>
  new AppError('not_found', `no ${what} with id ${id}`, { location: { parameter: 'id', value: String(id) }, hint: 'list meetings at /v1/meetings' });

const label = (m: { number: string | null; title: string }) => (m.number ? `${m.number}: ${m.title}` : m.title).slice(0, 250);

/**
 * Meetings, their sessions and documents. Reads are public (no Viewer: nothing here is private). Every write runs in
 * one transaction with its audit row (before/after) and a public `meeting_changed` alert event.
 */
export function createMeetingRepository(store: Store) {
  const meetingsWithCounts = () =>
    store.db
      .selectFrom('meetings')
      .selectAll('meetings')
      .select([
        sql<number>`(select count(*)::int from meeting_sessions s where s.meeting_id = meetings.id)`.as('session_count'),
        sql<number>`(select count(*)::int from meeting_documents d where d.meeting_id = meetings.id)`.as('document_count'),
      ]);

  async function detail(db: Store['db'] | Transaction<Database>, id: number): Promise<MeetingDetail | undefined> {
    const meeting = await db.selectFrom('meetings').selectAll().where('id', '=', id).executeTakeFirst();
    if (!meeting) return undefined;
    const sessions = (await db.selectFrom('meeting_sessions').selectAll().where('meeting_id', '=', id).orderBy('date').orderBy('start_time').orderBy('id').execute()).map(toSession);
    const documents = (await db.selectFrom('meeting_documents').selectAll().where('meeting_id', '=', id).orderBy('date').orderBy('symbol').orderBy('id').execute()).map(toDocument);
    return { ...toMeeting({ ...meeting, session_count: sessions.length, document_count: documents.length }), sessions, documents };
  }

  async function announce(trx: Transaction<Database>, at: Date, meeting: { id: number; number: string | null; title: string }, what: string): Promise<void> {
    await appendAlertEvent(trx, {
      kind: 'meeting_changed',
      at: at.toISOString(),
      stateId: null,
      subject: `meeting:${meeting.id}`,
      title: `${what}: ${label(meeting)}`,
      summary: '',
      link: `/meetings/${meeting.id}`,
      audience: 'public',
    });
  }

  async function lockedMeeting(trx: Transaction<Database>, id: number) {
    const meeting = await trx.selectFrom('meetings').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!meeting) throw notFound('meeting', id);
    return toMeeting(meeting);
  }

  function checkSessionDate(meeting: Meeting, date: string): void {
    if (date < meeting.startDate || date > meeting.endDate) {
      throw new AppError('validation', `the session date ${date} is outside the meeting's dates (${meeting.startDate} to ${meeting.endDate})`, {
        location: { parameter: 'date', value: date },
        hint: "give a date within the meeting's dates, or change the meeting's dates first",
      });
    }
  }

  async function checkDocumentSession(trx: Transaction<Database>, meetingId: number, sessionId: number | null): Promise<void> {
    if (sessionId === null) return;
    const session = await trx.selectFrom('meeting_sessions').select('meeting_id').where('id', '=', sessionId).executeTakeFirst();
    if (!session || Number(session.meeting_id) !== meetingId) {
      throw new AppError('validation', `session ${sessionId} is not a session of meeting ${meetingId}`, {
        location: { parameter: 'sessionId', value: String(sessionId) },
        hint: `choose one of the sessions listed at /v1/meetings/${meetingId}, or null for the meeting as a whole`,
      });
    }
  }

  return {
    async list(): Promise<Meeting[]> {
      return (await meetingsWithCounts().orderBy('start_date', 'desc').orderBy('id').execute()).map(toMeeting);
    },
    get: (id: number) => detail(store.db, id),
    async sessions(): Promise<Session[]> {
      return (await store.db.selectFrom('meeting_sessions').selectAll().orderBy('date').orderBy('id').execute()).map(toSession);
    },
    async documents(): Promise<MeetingDocument[]> {
      return (await store.db.selectFrom('meeting_documents').selectAll().orderBy('date').orderBy('id').execute()).map(toDocument);
    },

    async createMeeting(input: MeetingInput, actor: string, at: Date): Promise<MeetingDetail> {
      return store.transaction(async (trx) => {
        const row = await trx
          .insertInto('meetings')
          .values({ kind: input.kind, title: input.title, number: input.number, place: input.place, start_date: input.startDate, end_date: input.endDate })
          .returning('id')
          .executeTakeFirstOrThrow();
        const created = (await detail(trx, Number(row.id)))!;
        await appendAudit(trx, { at, actor, action: 'meeting.create', target: `meeting:${created.id}`, before: null, after: created });
        await announce(trx, at, created, 'Meeting added');
        return created;
      });
    },

    async updateMeeting(id: number, input: MeetingInput, actor: string, at: Date): Promise<MeetingDetail> {
      return store.transaction(async (trx) => {
        await lockedMeeting(trx, id);
        const before = (await detail(trx, id))!;
        const outside = before.sessions.find((s) => s.date < input.startDate || s.date > input.endDate);
        if (outside) {
          throw new AppError('validation', `session ${outside.id} ("${outside.title}") on ${outside.date} would fall outside the new dates`, {
            location: { parameter: 'startDate' },
            hint: 'move or delete that session first, or keep dates that include it',
          });
        }
        await trx
          .updateTable('meetings')
          .set({ kind: input.kind, title: input.title, number: input.number, place: input.place, start_date: input.startDate, end_date: input.endDate })
          .where('id', '=', id)
          .execute();
        const after = (await detail(trx, id))!;
        await appendAudit(trx, { at, actor, action: 'meeting.update', target: `meeting:${id}`, before, after });
        await announce(trx, at, after, 'Meeting changed');
        return after;
      });
    },

    /** Deletes a meeting with its sessions and documents (all kept in the audit row's `before`). */
    async deleteMeeting(id: number, actor: string, at: Date): Promise<void> {
      await store.transaction(async (trx) => {
        await lockedMeeting(trx, id);
        const before = (await detail(trx, id))!;
        await trx.deleteFrom('meetings').where('id', '=', id).execute();
        await appendAudit(trx, { at, actor, action: 'meeting.delete', target: `meeting:${id}`, before, after: null });
        await announce(trx, at, before, 'Meeting removed');
      });
    },

    async createSession(meetingId: number, input: SessionInput, actor: string, at: Date): Promise<Session> {
      return store.transaction(async (trx) => {
        const meeting = await lockedMeeting(trx, meetingId);
        checkSessionDate(meeting, input.date);
        const row = await trx
          .insertInto('meeting_sessions')
          .values({ meeting_id: meetingId, title: input.title, date: input.date, start_time: input.startTime, ngo_access: input.ngoAccess, note: input.note })
          .returningAll()
          .executeTakeFirstOrThrow();
        const created = toSession(row);
        await appendAudit(trx, { at, actor, action: 'meeting_session.create', target: `meeting_session:${created.id}`, before: null, after: created });
        await announce(trx, at, meeting, 'Session added');
        return created;
      });
    },

    async updateSession(id: number, input: SessionInput, actor: string, at: Date): Promise<Session> {
      return store.transaction(async (trx) => {
        const existing = await trx.selectFrom('meeting_sessions').selectAll().where('id', '=', id).executeTakeFirst();
        if (!existing) throw notFound('session', id);
        const meeting = await lockedMeeting(trx, Number(existing.meeting_id));
        checkSessionDate(meeting, input.date);
        const row = await trx
          .updateTable('meeting_sessions')
          .set({ title: input.title, date: input.date, start_time: input.startTime, ngo_access: input.ngoAccess, note: input.note })
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirstOrThrow();
        const after = toSession(row);
        await appendAudit(trx, { at, actor, action: 'meeting_session.update', target: `meeting_session:${id}`, before: toSession(existing), after });
        await announce(trx, at, meeting, 'Session changed');
        return after;
      });
    },

    /** Deletes a session; its documents stay with the meeting (session_id set to null). */
    async deleteSession(id: number, actor: string, at: Date): Promise<void> {
      await store.transaction(async (trx) => {
        const existing = await trx.selectFrom('meeting_sessions').selectAll().where('id', '=', id).executeTakeFirst();
        if (!existing) throw notFound('session', id);
        const meeting = await lockedMeeting(trx, Number(existing.meeting_id));
        await trx.deleteFrom('meeting_sessions').where('id', '=', id).execute();
        await appendAudit(trx, { at, actor, action: 'meeting_session.delete', target: `meeting_session:${id}`, before: toSession(existing), after: null });
        await announce(trx, at, meeting, 'Session removed');
      });
    },

    async createDocument(meetingId: number, input: DocumentInput, actor: string, at: Date): Promise<MeetingDocument> {
      return store.transaction(async (trx) => {
        const meeting = await lockedMeeting(trx, meetingId);
        await checkDocumentSession(trx, meetingId, input.sessionId);
        const row = await trx
          .insertInto('meeting_documents')
          .values({ meeting_id: meetingId, session_id: input.sessionId, symbol: input.symbol, title: input.title, date: input.date, language: input.language, link: input.link })
          .returningAll()
          .executeTakeFirstOrThrow();
        const created = toDocument(row);
        await appendAudit(trx, { at, actor, action: 'meeting_document.create', target: `meeting_document:${created.id}`, before: null, after: created });
        await announce(trx, at, meeting, 'Document added');
        return created;
      });
    },

    async updateDocument(id: number, input: DocumentInput, actor: string, at: Date): Promise<MeetingDocument> {
      return store.transaction(async (trx) => {
        const existing = await trx.selectFrom('meeting_documents').selectAll().where('id', '=', id).executeTakeFirst();
        if (!existing) throw notFound('document', id);
        const meeting = await lockedMeeting(trx, Number(existing.meeting_id));
        await checkDocumentSession(trx, meeting.id, input.sessionId);
        const row = await trx
          .updateTable('meeting_documents')
          .set({ session_id: input.sessionId, symbol: input.symbol, title: input.title, date: input.date, language: input.language, link: input.link })
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirstOrThrow();
        const after = toDocument(row);
        await appendAudit(trx, { at, actor, action: 'meeting_document.update', target: `meeting_document:${id}`, before: toDocument(existing), after });
        await announce(trx, at, meeting, 'Document changed');
        return after;
      });
    },

    async deleteDocument(id: number, actor: string, at: Date): Promise<void> {
      await store.transaction(async (trx) => {
        const existing = await trx.selectFrom('meeting_documents').selectAll().where('id', '=', id).executeTakeFirst();
        if (!existing) throw notFound('document', id);
        const meeting = await lockedMeeting(trx, Number(existing.meeting_id));
        await trx.deleteFrom('meeting_documents').where('id', '=', id).execute();
        await appendAudit(trx, { at, actor, action: 'meeting_document.delete', target: `meeting_document:${id}`, before: toDocument(existing), after: null });
        await announce(trx, at, meeting, 'Document removed');
      });
    },
  };
}

export type MeetingRepository = ReturnType<typeof createMeetingRepository>;
