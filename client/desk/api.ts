// The desk's HTTP client: JSON in and out, the session's CSRF token on every change, and API
// errors surfaced as { code, message } (already translated by the server).
let csrfToken = '';

export function setCsrfToken(token: string): void {
  csrfToken = token;
}

export class DeskApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly field?: string) {
    super(message);
  }
}

export async function api<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken;
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  if (response.status === 204) return undefined as T;
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new DeskApiError(response.status, data.code ?? 'internal', data.message ?? response.statusText, data.field);
  return data as T;
}

export const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));
