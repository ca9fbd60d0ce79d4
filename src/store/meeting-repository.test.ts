import { describe, expect, it } from 'vitest';
import { storageEngines, useStorageEngine } from '../../test/support/engines.js';
import { AppError } from '../model/errors.js';
import { DocumentInputSchema, MeetingInputSchema, SessionInputSchema } from '../model/meeting.js';
import { ANONYMOUS, OPERATOR } from '../model/viewer.js';
import { createAlertEventRepository } from './alert-events.js';
import { createAuditLog } from './audit-log.js';
import { createMeetingRepository } from './meeting-repository.js';

// Sample meetings are invented for the tests (test data, not facts): no real meeting is recorded here.
const at = new Date('2026-11-24T09:00:00Z');
const meetingInput = MeetingInputSchema.parse({ kind: 'wgtr', title: 'Sample working group meeting', number: 'T-1', place: 'Test City', startDate: '2030-02-10', endDate: '2030-02-12' });
const sessionInput = (over: object = {}) => SessionInputSchema.parse({ title: 'Opening', date: '2030-02-10', startTime: '10:00', ngoAccess: 'open', ...over });
const documentInput = (over: object = {}) =>
  DocumentInputSchema.parse({ symbol: 'TEST/T-1/2030/WP.1', title: 'Sample working paper', date: '2030-01-20', language: 'en', link: 'https://example.org/t-1/wp1.pdf', ...over });
const failure = (promise: Promise<unknown>) => promise.then(() => { throw new Error('expected a failure'); }, (error: AppError) => error);

for (const engine of storageEngines()) {
  describe(`meetings on ${engine.name}`, () => {
    const handle = useStorageEngine(engine);
    const repo = () => createMeetingRepository(handle.store);

    it('records a meeting with open and closed sessions and documents, and lists them with counts', async () => {
      const meeting = await repo().createMeeting(meetingInput, 'user:sec', at);
      const open = await repo().createSession(meeting.id, sessionInput(), 'user:sec', at);
      const closed = await repo().createSession(meeting.id, sessionInput({ title: 'Closed consultations', date: '2030-02-11', startTime: null, ngoAccess: 'closed' }), 'user:sec', at);
      await repo().createDocument(meeting.id, documentInput(), 'user:sec', at);
      await repo().createDocument(meeting.id, documentInput({ symbol: null, title: 'Session note', language: 'fr', sessionId: closed.id }), 'user:sec', at);
      const detail = await repo().get(meeting.id);
      expect(detail).toMatchObject({ kind: 'wgtr', number: 'T-1', year: 2030, sessionCount: 2, documentCount: 2 });
      expect(detail?.sessions.map((s) => [s.id, s.ngoAccess])).toEqual([[open.id, 'open'], [closed.id, 'closed']]);
      expect(detail?.documents.map((d) => d.sessionId)).toEqual([null, closed.id]);
      expect((await repo().list()).find((m) => m.id === meeting.id)).toMatchObject({ sessionCount: 2, documentCount: 2 });
      expect((await repo().sessions()).filter((s) => s.meetingId === meeting.id)).toHaveLength(2);
    });

    it('refuses a session outside the meeting dates and a document tied to another meeting\'s session', async () => {
      const first = await repo().createMeeting(meetingInput, 'user:sec', at);
      const second = await repo().createMeeting({ ...meetingInput, number: 'T-2' }, 'user:sec', at);
      expect(await failure(repo().createSession(first.id, sessionInput({ date: '2030-03-01' }), 'user:sec', at))).toMatchObject({ code: 'validation', location: { parameter: 'date' } });
      const session = await repo().createSession(second.id, sessionInput(), 'user:sec', at);
      expect(await failure(repo().createDocument(first.id, documentInput({ sessionId: session.id }), 'user:sec', at))).toMatchObject({ code: 'validation', location: { parameter: 'sessionId' } });
      expect(await failure(repo().updateMeeting(second.id, { ...meetingInput, startDate: '2030-02-11' }, 'user:sec', at))).toMatchObject({ code: 'validation' });
      expect(await failure(repo().createSession(999_999, sessionInput(), 'user:sec', at))).toMatchObject({ code: 'not_found' });
    });

    it('audits every change with before and after, announces it publicly, and deletes a meeting with its sessions and documents', async () => {
      const meeting = await repo().createMeeting(meetingInput, 'user:sec', at);
      const session = await repo().createSession(meeting.id, sessionInput(), 'user:sec', at);
      const document = await repo().createDocument(meeting.id, documentInput({ sessionId: session.id }), 'user:sec', at);
      await repo().updateMeeting(meeting.id, { ...meetingInput, title: 'Renamed sample meeting' }, 'user:sec', at);
      await repo().updateSession(session.id, sessionInput({ ngoAccess: 'closed' }), 'user:sec', at);
      await repo().updateDocument(document.id, documentInput({ language: 'es', sessionId: session.id }), 'user:sec', at);
      await repo().deleteSession(session.id, 'user:sec', at);
      expect((await repo().get(meeting.id))?.documents[0]?.sessionId).toBeNull();
      await repo().deleteDocument(document.id, 'user:sec', at);
      await repo().deleteMeeting(meeting.id, 'user:sec', at);
      expect(await repo().get(meeting.id)).toBeUndefined();

      const audit = (await createAuditLog(handle.store).list(OPERATOR, { limit: 1000 })).reverse();
      const mine = audit.filter((a) => [`meeting:${meeting.id}`, `meeting_session:${session.id}`, `meeting_document:${document.id}`].includes(a.target));
      expect(mine.map((a) => a.action)).toEqual([
        'meeting.create', 'meeting_session.create', 'meeting_document.create', 'meeting.update', 'meeting_session.update',
        'meeting_document.update', 'meeting_session.delete', 'meeting_document.delete', 'meeting.delete',
      ]);
      expect(mine[3]).toMatchObject({ actor: 'user:sec', before: { title: 'Sample working group meeting' }, after: { title: 'Renamed sample meeting' } });
      expect(mine[4]).toMatchObject({ before: { ngoAccess: 'open' }, after: { ngoAccess: 'closed' } });
      const events = await createAlertEventRepository(handle.store).list(ANONYMOUS, { kinds: ['meeting_changed'] });
      expect(events.filter((e) => e.subject === `meeting:${meeting.id}`)).toHaveLength(9);
    });

    it('rejects links that are not http(s), and symbols or titles with markup-breaking control characters', () => {
      for (const link of ['javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', '/relative.pdf', 'https://user:pw@example.org/x', 'ftp://example.org/x']) {
        expect(DocumentInputSchema.safeParse({ ...documentInput(), link }).success).toBe(false);
      }
      expect(DocumentInputSchema.safeParse({ ...documentInput(), symbol: '"><svg onload=alert(1)>' }).success).toBe(false);
      expect(MeetingInputSchema.safeParse({ ...meetingInput, title: 'two\nlines' }).success).toBe(false);
      expect(MeetingInputSchema.safeParse({ ...meetingInput, endDate: '2030-02-09' }).success).toBe(false);
    });

    it('stores SQL injection strings verbatim', async () => {
      const title = "'; drop table meetings; --";
      const meeting = await repo().createMeeting({ ...meetingInput, title, place: "' or '1'='1" }, 'user:sec', at);
      expect(await repo().get(meeting.id)).toMatchObject({ title, place: "' or '1'='1" });
      expect((await repo().list()).length).toBeGreaterThan(0);
    });
  });
}
