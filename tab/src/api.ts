/**
 * The Inbox API with the user's Teams SSO token. A 401 asks Teams for a token once more (Teams
 * caches and refreshes it) before it gives up.
 */
import type { ApiError } from '../../bot/inbox/wire.ts';
import type { Host } from './host.ts';

export class ApiFailure extends Error {
  override name = 'ApiFailure';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export class Api {
  constructor(private readonly host: Host) {}

  get<T>(path: string): Promise<T> {
    return this.json<T>(path, { method: 'GET' });
  }

  post<T>(path: string, body: unknown = {}): Promise<T> {
    return this.json<T>(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  /** An authenticated request as it is (downloads, event streams). */
  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    let res = await this.once(path, init);
    if (res.status === 401 && this.host.mode === 'teams') res = await this.once(path, init);
    return res;
  }

  private async once(path: string, init: RequestInit): Promise<Response> {
    const token = await this.host.token();
    const headers = new Headers(init.headers);
    if (token) headers.set('authorization', `Bearer ${token}`);
    return fetch(`/api/inbox/${path}`, { ...init, headers });
  }

  private async json<T>(path: string, init: RequestInit): Promise<T> {
    const res = await this.fetch(path, init);
    const body = (await res.json().catch(() => ({}))) as T & Partial<ApiError>;
    if (!res.ok) throw new ApiFailure(res.status, body.error ?? `the Inbox answered ${res.status}`);
    return body;
  }
}
