/**
 * Who is signed in, and writes on their behalf. The session lives in an HttpOnly cookie (the page never sees it);
 * every state-changing request carries the session's CSRF token in `x-csrf-token`, as the API requires. The token
 * comes from GET /v1/auth/me (or the login answer) and is kept in memory only.
 */
import { ApiError, apiErrorOf, isObject, type Json } from './client.js';

export type ViewerKind = 'anonymous' | 'researcher' | 'state_officer' | 'secretariat' | 'admin';

export interface SessionInfo {
  kind: ViewerKind;
  userId: string | null;
  /** The State a State officer reports for. */
  stateId: string | null;
  csrfToken: string | null;
}

const ANONYMOUS: SessionInfo = { kind: 'anonymous', userId: null, stateId: null, csrfToken: null };
let pending: Promise<SessionInfo> | null = null;
const listeners = new Set<(session: SessionInfo) => void>();

function sessionOf(body: unknown): SessionInfo {
  if (!isObject(body) || !isObject(body.viewer)) return ANONYMOUS;
  const viewer = body.viewer;
  const kind = typeof viewer.kind === 'string' ? (viewer.kind as ViewerKind) : 'anonymous';
  return {
    kind,
    userId: typeof viewer.userId === 'string' ? viewer.userId : null,
    stateId: typeof viewer.stateId === 'string' ? viewer.stateId : null,
    csrfToken: typeof body.csrfToken === 'string' ? body.csrfToken : null,
  };
}

/** The current session (asked once per page load, and again after sign-in or sign-out). */
export function currentSession(): Promise<SessionInfo> {
  pending ??= fetch('/v1/auth/me', { headers: { accept: 'application/json' }, credentials: 'same-origin' })
    .then((response) => (response.ok ? response.json() : null))
    .then(sessionOf)
    .catch(() => ANONYMOUS);
  return pending;
}

/** Called with the new session whenever someone signs in or out (the header updates its link). */
export function onSessionChange(listener: (session: SessionInfo) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function changed(): void {
  pending = null;
  void currentSession().then((session) => listeners.forEach((listener) => listener(session)));
}

async function errorOf(response: Response): Promise<ApiError> {
  return apiErrorOf(response, await response.json().catch(() => null));
}

/**
 * Sends a write (POST, PUT, PATCH, DELETE) with the CSRF token. `body` is sent as JSON, or as-is when it is a
 * FormData or a Blob (uploads). Resolves with the parsed JSON answer (null for 204).
 */
export async function send(
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<Json | null> {
  const session = await currentSession();
  const headers: Record<string, string> = { accept: 'application/json' };
  if (session.csrfToken) headers['x-csrf-token'] = session.csrfToken;
  let payload: BodyInit | undefined;
  if (body instanceof FormData || body instanceof Blob) payload = body;
  else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      ...(payload !== undefined ? { body: payload } : {}),
    });
  } catch {
    throw new ApiError('network', 0, 'network');
  }
  if (!response.ok) throw await errorOf(response);
  if (response.status === 204) return null;
  const json: unknown = await response.json().catch(() => null);
  return isObject(json) ? json : null;
}

export async function signIn(email: string, password: string): Promise<SessionInfo> {
  // Signing in again while signed in (another account): the old session's cookie still goes with the request, so
  // the API asks for its CSRF token like any write.
  const before = await currentSession();
  pending = null;
  await fetch('/v1/auth/login', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      ...(before.csrfToken ? { 'x-csrf-token': before.csrfToken } : {}),
    },
    credentials: 'same-origin',
    body: JSON.stringify({ email, password }),
  }).then(async (response) => {
    if (!response.ok) throw await errorOf(response);
  });
  changed();
  return currentSession();
}

export async function register(email: string, displayName: string, password: string): Promise<void> {
  const response = await fetch('/v1/auth/register', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    credentials: 'same-origin',
    body: JSON.stringify({ email, displayName, password }),
  });
  if (!response.ok) throw await errorOf(response);
}

export async function signOut(): Promise<void> {
  await send('POST', '/v1/auth/logout');
  changed();
}
