/**
 * The civil-society layer's data: meetings (with sessions and documents) and questions and annotations on reports.
 * Every text here was typed by a person (Secretariat, researchers, State officers): the pages put it in the page as
 * text nodes only (h() children / textContent), never as HTML, so a stored `<script>` stays visible text.
 */
import { ApiError, isObject, str, type Json } from './client.js';
import { num } from './data.js';

export interface Meeting {
  id: number;
  kind: string;
  title: string;
  number: string | null;
  place: string | null;
  startDate: string;
  endDate: string;
  year: number | null;
  sessionCount: number | null;
  documentCount: number | null;
}

export interface MeetingSession {
  id: number;
  title: string;
  date: string;
  startTime: string | null;
  ngoAccess: 'open' | 'closed';
  note: string | null;
}

export interface MeetingDocument {
  id: number;
  sessionId: number | null;
  symbol: string | null;
  title: string;
  date: string;
  language: string;
  link: string;
}

export interface MeetingDetail extends Meeting {
  sessions: MeetingSession[];
  documents: MeetingDocument[];
}

export interface Annotation {
  id: number;
  reportId: string;
  rowId: number | null;
  stateId: string;
  kind: 'question' | 'annotation';
  text: string;
  status: 'pending' | 'approved' | 'rejected';
  authorName: string;
  createdAt: string;
  mine: boolean;
  rejectionReason: string | null;
  answer: { text: string; answeredAt: string } | null;
}

export const MEETING_KINDS = [
  'csp',
  'extraordinary_csp',
  'wgtr',
  'wgeti',
  'wgtu',
  'preparatory',
  'other',
] as const;
export const DOCUMENT_LANGUAGES = ['ar', 'zh', 'en', 'fr', 'ru', 'es', 'other'] as const;

export function normaliseMeeting(row: Json): Meeting {
  return {
    id: num(row.id) ?? 0,
    kind: str(row.kind) ?? 'other',
    title: str(row.title) ?? '',
    number: str(row.number),
    place: str(row.place),
    startDate: str(row.startDate) ?? '',
    endDate: str(row.endDate) ?? '',
    year: num(row.year),
    sessionCount: num(row.sessionCount),
    documentCount: num(row.documentCount),
  };
}

export function normaliseMeetingDetail(data: Json): MeetingDetail {
  return {
    ...normaliseMeeting(data),
    sessions: (Array.isArray(data.sessions) ? data.sessions.filter(isObject) : []).map((s) => ({
      id: num(s.id) ?? 0,
      title: str(s.title) ?? '',
      date: str(s.date) ?? '',
      startTime: str(s.startTime),
      ngoAccess: s.ngoAccess === 'closed' ? 'closed' : 'open',
      note: str(s.note),
    })),
    documents: (Array.isArray(data.documents) ? data.documents.filter(isObject) : []).map((d) => ({
      id: num(d.id) ?? 0,
      sessionId: num(d.sessionId),
      symbol: str(d.symbol),
      title: str(d.title) ?? '',
      date: str(d.date) ?? '',
      language: str(d.language) ?? 'other',
      link: str(d.link) ?? '',
    })),
  };
}

export function normaliseAnnotation(row: Json): Annotation {
  const answer = isObject(row.answer) ? row.answer : null;
  return {
    id: num(row.id) ?? 0,
    reportId: str(row.reportId) ?? '',
    rowId: num(row.rowId),
    stateId: str(row.stateId) ?? '',
    kind: row.kind === 'annotation' ? 'annotation' : 'question',
    text: str(row.text) ?? '',
    status: row.status === 'approved' || row.status === 'rejected' ? row.status : 'pending',
    authorName: str(row.authorName) ?? '',
    createdAt: str(row.createdAt) ?? '',
    mine: row.mine === true,
    rejectionReason: str(row.rejectionReason),
    answer:
      answer && str(answer.text) !== null
        ? { text: str(answer.text)!, answeredAt: str(answer.answeredAt) ?? '' }
        : null,
  };
}

/**
 * A GET that revalidates with the server every time: these answers depend on who is signed in (an author's pending
 * questions), so a copy the browser kept from before signing in must not be shown.
 */
export async function fetchFresh(path: string, signal?: AbortSignal): Promise<Json> {
  let response: Response;
  try {
    response = await fetch(path, {
      headers: { accept: 'application/json' },
      cache: 'no-cache',
      credentials: 'same-origin',
      signal: signal ?? null,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError('network', 0, 'network');
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const err = isObject(body) && isObject(body.error) ? body.error : {};
    throw new ApiError(
      str(err.message) ?? `${response.status}`,
      response.status,
      str(err.code) ?? 'http',
      str(err.hint) ?? undefined,
    );
  }
  return isObject(body) ? body : {};
}

/** Only http(s) links are ever put in an href (the API refuses others; this guards the page all the same). */
export function safeLink(link: string): string | null {
  try {
    const url = new URL(link);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}
