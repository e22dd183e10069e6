// Security headers, caching and asset delivery, and the OpenAPI document.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { makeTestApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;
beforeAll(async () => { t = await makeTestApp(); });
afterAll(async () => { await t.close(); });

describe('headers', () => {
  it('sends a strict CSP and privacy headers on pages, API and errors', async () => {
    for (const url of ['/', '/api/intake', '/healthz', '/nope']) {
      const res = await t.app.inject(url);
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toMatch(/'unsafe-inline'|'unsafe-eval'|https?:|\*/);
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['cache-control']).toBe('no-store');
    }
  });

  it('puts nothing inline that the CSP would have to allow', async () => {
    const html = (await t.app.inject('/')).body;
    const scripts = [...html.matchAll(/<script([^>]*)>/g)].map((m) => m[1]);
    for (const attrs of scripts) expect(attrs).toMatch(/src="\/assets\/|type="application\/json"/);
    expect(html).not.toMatch(/\sstyle="|\son[a-z]+="/);
    // Nothing loaded from elsewhere (the quick-exit link navigates away; it loads nothing here).
    expect(html).not.toMatch(/\ssrc="(https?:)?\/\/|<link[^>]+href="(https?:)?\/\//);
  });
});

describe('assets', () => {
  it('serves hashed assets precompressed and immutable', async () => {
    const dir = 'dist/client/assets';
    expect(existsSync(dir), 'run `vite build` before the tests (npm test does)').toBe(true);
    const js = readdirSync(dir).find((f) => /^report-.*\.js$/.test(f))!;
    const res = await t.app.inject({ url: `/assets/${js}`, headers: { 'accept-encoding': 'br, gzip' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['cache-control']).toContain('immutable');
    const gz = await t.app.inject({ url: `/assets/${js}`, headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
  });

  it('serves each locale at a hashed, immutable address', async () => {
    const html = (await t.app.inject('/')).body;
    const boot = JSON.parse(/<script type="application\/json" id="boot">(.*?)<\/script>/.exec(html)![1]!);
    const res = await t.app.inject(boot.localeUrls.ps);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toContain('immutable');
    expect(res.json().report.title).toMatch(/[\u0600-\u06ff]/);
    expect((await t.app.inject('/locales/ps.000000000000.json')).statusCode).toBe(404);
  });
});

describe('OpenAPI', () => {
  it('documents the public API from the same schemas that validate it', async () => {
    const doc = (await t.app.inject('/api/openapi.json')).json();
    expect(doc.openapi).toMatch(/^3\./);
    const post = doc.paths['/api/reports'].post;
    const schema = post.requestBody.content['application/json'].schema;
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.clear.properties.category.enum).toContain('pushback');
    expect(Object.keys(post.responses)).toEqual(expect.arrayContaining(['201', '4XX']));
    expect(doc.paths['/api/intake'].get).toBeDefined();
    expect(doc.paths['/healthz'].get).toBeDefined();
  });
});
