// The contract in types, held by the running app: every API route documents (and serialises
// through) a real response schema; a field a schema does not name never leaves the server;
// authentication runs before validation; and state belongs to one app instance, bounded by
// least-recently-used eviction.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64Url } from '../../protocol/encoding.ts';
import { Me } from '../../protocol/desk-api.ts';
import { derivePasswordKeys } from '../../protocol/keys.ts';
import { sealSubmission } from '../../protocol/seal-report.ts';
import { PUBLIC } from '../../server/plugins/auth.ts';
import { LruStore } from '../../server/state.ts';
import { issueSetupToken } from '../../server/services/setup-token.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { createDeskUser, defaultTeamId, type DeskUser } from '../helpers/desk.ts';
import { validForm } from '../fixtures/report.ts';

interface OpenApiOperation { responses?: Record<string, { content?: Record<string, { schema?: Record<string, unknown> }>; headers?: Record<string, unknown> }> }

let a: TestApp;
let b: TestApp;
let worker: DeskUser;
beforeAll(async () => {
  a = await makeTestApp({ config: { submitRateLimit: 2 } });
  b = await makeTestApp({ config: { submitRateLimit: 2 } });
  worker = await createDeskUser(a.db, { email: 'worker@example.org', role: 'caseworker', teamIds: [defaultTeamId(a.db)] });
  await createDeskUser(b.db, { email: 'worker@example.org', role: 'caseworker', teamIds: [defaultTeamId(b.db)] });
});
afterAll(async () => { await a.close(); await b.close(); });

describe('the OpenAPI document', () => {
  it('describes every API route with a response schema for its success, never a free-form one', async () => {
    const doc = (await a.app.inject('/api/openapi.json')).json<{ paths: Record<string, Record<string, OpenApiOperation>> }>();
    const apiRoutes = a.app.routeTable.filter((r) => r.url.startsWith('/api/') && r.url !== '/api/openapi.json');
    expect(apiRoutes.length).toBeGreaterThan(35);
    for (const route of apiRoutes) {
      const path = route.url.replace(/:(\w+)/g, '{$1}');
      const operation = doc.paths[path]?.[route.method.toLowerCase()];
      expect(operation, `${route.method} ${route.url}`).toBeDefined();
      const success = Object.entries(operation!.responses ?? {}).find(([status]) => /^2/.test(status));
      expect(success, `${route.method} ${route.url} documents a 2xx`).toBeDefined();
      if (success![0] === '204') continue;
      // A success that is not JSON or CSV says what it is: a file (its media type), or headers only (tus).
      const content = success![1].content ?? {};
      const typed = content['application/json'] ?? content['text/csv'];
      if (!typed && (Object.keys(content).length > 0 || Object.keys(success![1].headers ?? {}).length > 0)) continue;
      const schema = typed?.schema ?? {};
      expect(Object.keys(schema).length, `${route.method} ${route.url} has a real schema`).toBeGreaterThan(0);
      expect(JSON.stringify(schema)).toMatch(/"type"|"anyOf"|"\$ref"/);
    }
  });
});

describe('serialisation through the response schema', () => {
  it('drops a property the schema does not name', async () => {
    const t = await makeTestApp();
    try {
      // A handler that returns more than it should, answered through the protocol's Me schema.
      const leaky = {
        id: 'u1', email: 'a@example.org', role: 'caseworker' as const, publicKey: toBase64Url(new Uint8Array(32)), wrappedPrivateKey: 'w',
        csrfToken: 'c', teams: [{ id: 't1', name: 'Team', restricted: false, granted: true, totpSecret: 'NESTED-SECRET' }],
        notify: 'each' as const, notifyLanguage: 'en' as const, authHash: 'TOP-SECRET',
      };
      t.app.get('/api/leaky', { config: PUBLIC, schema: { response: { 200: Me } } }, async () => leaky);
      const res = await t.app.inject('/api/leaky');
      expect(res.statusCode).toBe(200);
      expect(res.json().email).toBe('a@example.org');
      expect(res.body).not.toContain('TOP-SECRET');
      expect(res.body).not.toContain('NESTED-SECRET');
    } finally {
      await t.close();
    }
  });
});

describe('authentication before validation', () => {
  it('answers 401 to a caller without a session, whatever the body', async () => {
    for (const payload of [{}, { status: 42 }, { nonsense: true }]) {
      const res = await a.app.inject({ method: 'POST', url: '/api/cases/x/status', payload });
      expect(res.statusCode).toBe(401);
      expect(res.json().code).toBe('not_signed_in');
      expect(res.json().field).toBeUndefined();
      expect(res.json().message).not.toMatch(/must|status/i);
    }
    const query = await a.app.inject({ method: 'GET', url: '/api/cases?status=bogus&page=0' });
    expect(query.statusCode).toBe(401);
  });
});

describe('state belongs to one app instance', () => {
  const wrongKeys = new Map<TestApp, string>();
  async function wrongPassword(t: TestApp) {
    // Derived once per app: the slow-down must not run out while Argon2id works on a busy machine.
    if (!wrongKeys.has(t)) {
      const kdf = (await t.app.inject({ method: 'POST', url: '/api/auth/prelogin', payload: { email: worker.email } })).json();
      wrongKeys.set(t, toBase64Url((await derivePasswordKeys('not the password at all', kdf)).authKey));
    }
    return t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: worker.email, authKey: wrongKeys.get(t)! } });
  }

  it('counts sign-in failures per app: slowing one down leaves the other alone', async () => {
    await wrongPassword(b); // derive b's key now; this is b's first failure
    for (let i = 0; i < 3; i++) expect((await wrongPassword(a)).statusCode).toBe(401);
    const throttled = await wrongPassword(a);
    expect(throttled.statusCode).toBe(429);
    expect(throttled.json().code).toBe('too_many_attempts');
    const other = await wrongPassword(b);
    expect(other.statusCode).toBe(401);
    expect(other.json().code).toBe('invalid_credentials');
  });

  it('keeps rate-limit counters per app', async () => {
    const submit = async (t: TestApp) => t.app.inject({
      method: 'POST', url: '/api/reports', headers: { 'content-type': 'application/json' },
      payload: (await sealSubmission(validForm(), 'en', t.intake())).body,
    });
    expect((await submit(a)).statusCode).toBe(201);
    expect((await submit(a)).statusCode).toBe(201);
    expect((await submit(a)).statusCode).toBe(429);
    expect((await submit(b)).statusCode).toBe(201);
  });

  it('keeps the one-time setup token per app', async () => {
    const fresh = await makeTestApp({ setup: false });
    try {
      issueSetupToken(fresh.app.state);
      expect(a.app.state.setupToken).toBeNull();
      expect(fresh.app.state.setupToken).not.toBeNull();
    } finally {
      await fresh.close();
    }
  });
});

describe('LruStore', () => {
  it('evicts the least recently used entry when full, never everything', () => {
    const store = new LruStore<number>(3);
    store.set('a', 1); store.set('b', 2); store.set('c', 3);
    expect(store.get('a')).toBe(1); // now the most recently used
    store.set('d', 4);
    expect(store.get('b')).toBeUndefined();
    expect([store.get('a'), store.get('c'), store.get('d')]).toEqual([1, 3, 4]);
    for (let i = 0; i < 1000; i++) store.set(`flood-${i}`, i);
    expect(store.size).toBe(3);
  });

  it('forgets entries older than its time limit', () => {
    const store = new LruStore<string>(10, 1000);
    store.set('k', 'v', 0);
    expect(store.get('k', 999)).toBe('v');
    expect(store.get('k', 2000)).toBeUndefined();
  });
});
