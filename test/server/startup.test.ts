// Starting Redress for real (npm start's server): migrations run on a fresh data folder, the
// form says "not open", and a one-time setup link is printed that a browser setup can use once.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSetupBundle } from '../../protocol/setup.ts';

const dir = mkdtempSync(join(tmpdir(), 'redress-start-'));
const child = spawn('node', ['--import', 'tsx', 'server/main.ts'], {
  env: { ...process.env, DATA_DIR: join(dir, 'data'), PORT: '0', HOST: '127.0.0.1', CLIENT_DIR: 'dist/client' },
  stdio: ['ignore', 'pipe', 'pipe'],
});
afterAll(() => { child.kill('SIGTERM'); rmSync(dir, { recursive: true, force: true }); });

function printedLink(): Promise<URL> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no setup link printed:\n${out}`)), 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /(http:\/\/127\.0\.0\.1:\d+\/desk\/setup#token=[A-Za-z0-9_-]+)/.exec(out);
      if (match) { clearTimeout(timer); resolve(new URL(match[1]!)); }
    });
  });
}

describe('first start', () => {
  it('prints a setup link that works once, and stays closed until then', async () => {
    const link = await printedLink();
    const base = link.origin;
    const token = new URLSearchParams(link.hash.slice(1)).get('token')!;
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(503);
    expect((await fetch(`${base}/healthz`).then((r) => r.json())).open).toBe(false);
    expect((await fetch(`${base}/desk/setup`)).status).toBe(200);

    const { bundle } = await buildSetupBundle({ organisationName: 'Started Org', adminEmail: 'a@example.org', password: 'a long enough password' });
    const post = (t: string) => fetch(`${base}/api/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: t, bundle }) });
    expect((await post('not-the-token')).status).toBe(403);
    expect((await post(token)).status).toBe(201);
    expect((await post(token)).status).toBe(409);
    expect((await fetch(`${base}/healthz`).then((r) => r.json())).open).toBe(true);
    expect((await fetch(`${base}/`)).status).toBe(200);
  });
});
