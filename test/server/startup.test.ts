// Starting Redress for real (npm start's server): migrations run on a fresh data folder, the
// form says "not open", and a one-time setup link that a browser setup can use once is written to a
// file only this user can read (standard output here is a pipe, not a terminal), then removed.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
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

let printed = '';
function printedLink(): Promise<URL> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no setup link announced:\n${printed}`)), 50_000);
    const read = (chunk: Buffer) => {
      printed += chunk.toString();
      const file = /setup link is in (\S+) \(readable by this user only\)/.exec(printed)?.[1];
      if (!file) return;
      child.stdout.off('data', read);
      clearTimeout(timer);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      resolve(new URL(/(http:\/\/127\.0\.0\.1:\d+\/desk\/setup#token=[A-Za-z0-9_-]+)/.exec(readFileSync(file, 'utf8'))![1]!));
    };
    child.stdout.on('data', read);
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
    // The link never went to standard output.
    expect(printed).not.toContain('#token=');
    expect(existsSync(join(dir, 'data', 'setup-link.txt'))).toBe(true);
  }, 60_000);
});
