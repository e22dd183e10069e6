// Dependency check for CI and operators: `npm audit --omit=dev` where the registry answers it;
// always, a lockfile check (every package from the npm registry, with a sha512 integrity, install
// scripts only where package.json allows them, Node range accepted by every dependency); and,
// given --osv DIR (an unzipped copy of OSV's npm advisories, fetched wherever that is possible),
// every locked production package checked against those advisories offline.
// Exit 1 on a lockfile problem or a known advisory; a refused npm audit is reported, not fatal.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import semver from 'semver';

const REGISTRY = 'https://registry.npmjs.org/';

/** Locked packages: name, version, whether dev only, and the lock entry. */
export function lockedPackages(lock) {
  return Object.entries(lock.packages)
    .filter(([path]) => path.includes('node_modules/'))
    .map(([path, entry]) => ({ name: entry.name ?? path.slice(path.lastIndexOf('node_modules/') + 13), version: entry.version, dev: Boolean(entry.dev), path, entry }));
}

export function lockfileProblems(pkg, lock) {
  const problems = [];
  const allowed = new Set(Object.keys(pkg.allowScripts ?? {}));
  const range = pkg.engines?.node;
  for (const p of lockedPackages(lock)) {
    if (p.entry.link) continue;
    // No "resolved" means the configured registry; anything else (git, file, a tarball URL) is refused.
    if (p.entry.resolved !== undefined && !p.entry.resolved.startsWith(REGISTRY)) problems.push(`${p.path}: not from the npm registry (${p.entry.resolved})`);
    if (!p.entry.integrity?.startsWith('sha512-')) problems.push(`${p.path}: no sha512 integrity`);
    if (p.entry.hasInstallScript && !p.dev && !allowed.has(p.name)) problems.push(`${p.path}: runs an install script, and package.json allowScripts does not list it`);
    const engines = p.entry.engines?.node;
    // os/cpu-specific builds (esbuild's, rolldown's) are only installed where they fit.
    if (range && typeof engines === 'string' && !p.entry.os && !p.entry.cpu && !semver.subset(range, engines, { includePrerelease: false })) {
      problems.push(`${p.path}: accepts Node ${engines}, narrower than the supported ${range}`);
    }
  }
  return problems;
}

/** Is `version` inside one OSV "affected" entry (SEMVER ranges, or an explicit version list)? */
export function isAffected(affected, version) {
  if (affected.versions?.includes(version)) return true;
  for (const range of affected.ranges ?? []) {
    if (range.type !== 'SEMVER' && range.type !== 'ECOSYSTEM') continue;
    let introduced = null;
    for (const event of range.events ?? []) {
      if ('introduced' in event) introduced = event.introduced === '0' ? '0.0.0-0' : event.introduced;
      const end = event.fixed ?? event.last_affected;
      if (end !== undefined && introduced !== null) {
        const inside = semver.gte(version, introduced, { loose: true }) && (event.fixed !== undefined ? semver.lt(version, end, { loose: true }) : semver.lte(version, end, { loose: true }));
        if (inside) return true;
        introduced = null;
      }
    }
    if (introduced !== null && semver.gte(version, introduced, { loose: true })) return true;
  }
  return false;
}

/** Production packages of the lockfile that an advisory in `dir` (OSV JSON files) names. */
export function osvFindings(lock, dir) {
  const byName = new Map();
  for (const p of lockedPackages(lock)) if (!p.dev && semver.valid(p.version)) byName.set(p.name, [...(byName.get(p.name) ?? []), p.version]);
  const findings = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const advisory = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    if (advisory.withdrawn) continue;
    for (const affected of advisory.affected ?? []) {
      if (affected.package?.ecosystem !== 'npm') continue;
      for (const version of byName.get(affected.package.name) ?? []) {
        if (isAffected(affected, version)) findings.push(`${affected.package.name}@${version}: ${advisory.id} ${advisory.summary ?? ''}`.trim());
      }
    }
  }
  return findings;
}

function npmAudit(root) {
  const res = spawnSync('npm', ['audit', '--omit=dev', '--json'], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  try {
    const report = JSON.parse(res.stdout);
    if (report.error || !report.metadata?.vulnerabilities) return { refused: report.message || report.error?.summary || 'no report' };
    return { counts: report.metadata.vulnerabilities };
  } catch {
    return { refused: (res.stderr || res.stdout || 'no answer').trim().split('\n').slice(-2).join(' ') };
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { osv: { type: 'string' }, 'no-npm-audit': { type: 'boolean' } } });
  const root = process.cwd();
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
  let failed = false;
  if (!values['no-npm-audit']) {
    const audit = npmAudit(root);
    if (audit.refused) console.log(`npm audit --omit=dev: not available from this registry (${audit.refused}); see docs/OPERATIONS.md §12.`);
    else {
      const c = audit.counts;
      console.log(`npm audit --omit=dev: ${c.critical} critical, ${c.high} high, ${c.moderate} moderate, ${c.low} low.`);
      if (c.critical + c.high > 0) failed = true;
    }
  }
  const problems = lockfileProblems(pkg, lock);
  const prod = lockedPackages(lock).filter((p) => !p.dev).length;
  console.log(`lockfile: ${lockedPackages(lock).length} packages (${prod} production); ${problems.length ? `${problems.length} problem(s):` : 'all from the npm registry with sha512 integrity, install scripts only where allowed, every Node range accepted.'}`);
  for (const p of problems.slice(0, 30)) console.log(`  ${p}`);
  if (problems.length) failed = true;
  if (values.osv) {
    const findings = osvFindings(lock, values.osv);
    console.log(`OSV advisories in ${values.osv}: ${findings.length} affect a production package.`);
    for (const f of findings) console.log(`  ${f}`);
    if (findings.length) failed = true;
  }
  process.exitCode = failed ? 1 : 0;
}
