import { ApiError, call, client, setCsrfToken, whenUnauthorized, type SessionUser } from '../api.ts';

/** Who is signed in. The CSRF token goes to the API client's memory, never to storage. */
export class SessionState {
  user = $state<SessionUser | null>(null);
  ready = $state(false);

  constructor() {
    whenUnauthorized(() => this.clear());
  }

  /** Picks up a session that survives a reload (the cookie), via /api/auth/me. */
  async restore(): Promise<void> {
    try {
      const s = await call(client.api.auth.me.$get());
      setCsrfToken(s.csrfToken);
      this.user = s.user;
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 401)) throw err;
      this.clear();
    } finally {
      this.ready = true;
    }
  }

  async login(username: string, password: string): Promise<void> {
    const s = await call(client.api.auth.login.$post({ json: { username, password } }));
    setCsrfToken(s.csrfToken);
    this.user = s.user;
  }

  async logout(): Promise<void> {
    try {
      await call(client.api.auth.logout.$post());
    } finally {
      this.clear();
    }
  }

  clear(): void {
    setCsrfToken(null);
    this.user = null;
  }
}

export const session = new SessionState();
