/**
 * A signed-in client of a running server (or of `app.request` in-process): keeps the session cookie and sends the
 * CSRF token on writes, as the web app does. Used by integration, e2e and visibility tests.
 */
export interface ApiSession {
  readonly email: string;
  readonly csrfToken: string;
  readonly cookie: string;
  /** A request as this account: JSON bodies are serialised; the CSRF header is sent unless `csrf: false`. */
  request(path: string, init?: { method?: string; json?: unknown; body?: BodyInit; headers?: Record<string, string>; csrf?: boolean }): Promise<Response>;
  json<T = Record<string, unknown>>(path: string, init?: Parameters<ApiSession['request']>[1]): Promise<T>;
}

export type Fetcher = (path: string, init: RequestInit) => Promise<Response>;

/** A fetcher for a server URL, or for an in-process hono app (`(p, i) => app.request(p, i)`). */
export function urlFetcher(baseUrl: string): Fetcher {
  return (path, init) => fetch(`${baseUrl}${path}`, init);
}

export async function signInApi(fetcher: Fetcher, email: string, password: string): Promise<ApiSession> {
  const response = await fetcher('/v1/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const body = (await response.json()) as { csrfToken?: string; error?: { message: string } };
  if (!response.ok || !body.csrfToken) throw new Error(`sign-in of ${email} failed (${response.status}): ${body.error?.message ?? ''}`);
  const cookie = (response.headers.get('set-cookie') ?? '').match(/att_session=[^;]+/)?.[0] ?? '';
  const csrfToken = body.csrfToken;
  const session: ApiSession = {
    email,
    csrfToken,
    cookie,
    request(path, init = {}) {
      const headers: Record<string, string> = { cookie, ...init.headers };
      let payload = init.body;
      if (init.json !== undefined) {
        headers['content-type'] = 'application/json';
        payload = JSON.stringify(init.json);
      }
      const method = init.method ?? (payload !== undefined ? 'POST' : 'GET');
      if (method !== 'GET' && method !== 'HEAD' && init.csrf !== false) headers['x-csrf-token'] = csrfToken;
      return fetcher(path, { method, headers, ...(payload !== undefined ? { body: payload } : {}) });
    },
    async json(path, init) {
      const response = await session.request(path, init);
      const text = await response.text();
      if (!response.ok) throw new Error(`${init?.method ?? 'GET'} ${path} answered ${response.status}: ${text}`);
      return (text ? JSON.parse(text) : null) as never;
    },
  };
  return session;
}

/** Registers a researcher through the public API and signs them in. */
export async function registerResearcher(fetcher: Fetcher, email: string, password: string): Promise<ApiSession> {
  const response = await fetcher('/v1/auth/register', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, displayName: email, password }),
  });
  if (response.status !== 201) throw new Error(`registering ${email} failed (${response.status}): ${await response.text()}`);
  return signInApi(fetcher, email, password);
}

/** The Secretariat invites a State officer, who accepts and signs in: the real path, as the README describes it. */
export async function inviteStateOfficer(fetcher: Fetcher, secretariat: ApiSession, email: string, stateId: string, password: string): Promise<ApiSession> {
  const { token } = await secretariat.json<{ token: string }>('/v1/invitations', { json: { email, stateId } });
  const accepted = await fetcher(`/v1/invitations/${token}/accept`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ displayName: `${stateId} officer`, password }),
  });
  if (accepted.status !== 201) throw new Error(`accepting the invitation for ${email} failed (${accepted.status}): ${await accepted.text()}`);
  return signInApi(fetcher, email, password);
}
