// The dependency check that stands in for `npm audit` where the registry refuses it: the real
// lockfile passes; a lockfile with a foreign source, no integrity, an unlisted install script or a
// narrower Node range fails; OSV advisories are matched to locked production versions offline.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error a plain-JavaScript ops script (it runs before anything is built), without types
import { isAffected, lockfileProblems, osvFindings } from '../../server/ops/audit-deps.mjs';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
const dir = mkdtempSync(join(tmpdir(), 'redress-osv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('lockfile check', () => {
  it('passes for the project: registry only, sha512, allowed install scripts, every dependency accepts the supported Node range', () => {
    expect(lockfileProblems(pkg, lock)).toEqual([]);
  });

  it('names each kind of problem', () => {
    const bad = structuredClone(lock);
    bad.packages['node_modules/fastify'].resolved = 'git+https://example.org/fastify.git';
    delete bad.packages['node_modules/preact'].integrity;
    bad.packages['node_modules/qrcode'].hasInstallScript = true;
    bad.packages['node_modules/pino'].engines = { node: '>=24' };
    const problems = lockfileProblems(pkg, bad).join('\n');
    expect(problems).toMatch(/node_modules\/fastify: not from the npm registry/);
    expect(problems).toMatch(/node_modules\/preact: no sha512 integrity/);
    expect(problems).toMatch(/node_modules\/qrcode: runs an install script/);
    expect(problems).toMatch(/node_modules\/pino: accepts Node >=24, narrower than the supported/);
  });
});

describe('offline OSV advisories', () => {
  const fastify = lock.packages['node_modules/fastify'].version as string;
  const advisory = (id: string, name: string, affected: object, extra: object = {}) =>
    writeFileSync(join(dir, `${id}.json`), JSON.stringify({ id, summary: `test advisory ${id}`, affected: [{ package: { ecosystem: 'npm', name }, ...affected }], ...extra }));

  it('matches SEMVER ranges and version lists', () => {
    expect(isAffected({ ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '5.3.1' }] }] }, '5.3.0')).toBe(true);
    expect(isAffected({ ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '5.3.1' }] }] }, '5.3.1')).toBe(false);
    expect(isAffected({ ranges: [{ type: 'SEMVER', events: [{ introduced: '2.0.0' }, { last_affected: '2.4.0' }] }] }, '2.4.0')).toBe(true);
    expect(isAffected({ ranges: [{ type: 'SEMVER', events: [{ introduced: '3.0.0' }] }] }, '9.9.9')).toBe(true);
    expect(isAffected({ versions: ['1.2.3'] }, '1.2.3')).toBe(true);
  });

  it('reports the locked production packages an advisory names, and no others', () => {
    advisory('TEST-1', 'fastify', { ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '999.0.0' }] }] });
    advisory('TEST-2', 'fastify', { ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.0.0' }] }] });
    advisory('TEST-3', 'fastify', { versions: [fastify] }, { withdrawn: '2026-01-01T00:00:00Z' });
    advisory('TEST-4', 'vitest', { ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }] }] }); // a dev dependency
    expect(osvFindings(lock, dir)).toEqual([`fastify@${fastify}: TEST-1 test advisory TEST-1`]);
  });
});
