// The register of AI deployments: entries kept by admins and caseworkers (each change audited in
// its transaction), seeded once from db/seed/deployments.json and importable from such a file,
// shown with the six questions at a glance and disclosure-controlled counts of linked cases.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { count, eq, inArray } from 'drizzle-orm';
import type { Static } from 'typebox';
import { Value } from 'typebox/value';
import type { Conn, Db } from '../../db/index.ts';
import { cases, deployments, pathways, serverSecrets } from '../../db/schema.ts';
import { DeploymentEntry, glanceOf, type DeploymentView, type RegisterView } from '../../protocol/register-api.ts';
import type { Publication, PublishedCount } from '../../protocol/stats-api.ts';
import type { PathwayKind } from '../../protocol/taxonomy.ts';
import type { Config } from '../config.ts';
import { AppError } from '../errors.ts';
import { mapError } from '../plugins/errors.ts';
import { today } from '../stats/calendar.ts';
import { buildPublication } from '../stats/publication.ts';
import { appendAudit } from './audit.ts';
import { getOrganisation } from './organisation.ts';

type StatsConfig = Pick<Config, 'statsK' | 'statsEmbargoDays'>;
type Row = typeof deployments.$inferSelect;
type Count = Static<typeof PublishedCount>;

export const SEED_FILE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'db', 'seed', 'deployments.json');
const SEEDED_MARKER = 'register_seeded';

/** The entry without its id, checked against the contract; a reason names the first problem. */
export function checkEntry(value: unknown): { entry: DeploymentEntry } | { problem: string } {
  if (!Value.Check(DeploymentEntry, value)) {
    const first = Value.Errors(DeploymentEntry, value)[0];
    return { problem: `${first?.instancePath || 'entry'} ${first?.message ?? 'is not valid'}` };
  }
  if (!value.sources.length) return { problem: 'sources: at least one source is required' };
  return { entry: value };
}

const slug = (name: string) => name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'deployment';

function uniqueId(db: Conn, name: string): string {
  const base = slug(name);
  for (let n = 1; ; n++) {
    const id = n === 1 ? base : `${base}-${n}`;
    if (!db.select({ id: deployments.id }).from(deployments).where(eq(deployments.id, id)).get()) return id;
  }
}

/** Pathway ids of the entry that the directory does not hold. */
function unknownPathways(db: Conn, entry: DeploymentEntry): string[] {
  if (!entry.pathwayIds.length) return [];
  const found = new Set(db.select({ id: pathways.id }).from(pathways).where(inArray(pathways.id, entry.pathwayIds)).all().map((p) => p.id));
  return entry.pathwayIds.filter((id) => !found.has(id));
}

/** Counts of linked cases and remedies, as published today (over released quarters, at the organisation's k). */
function caseCounts(db: Db, config: StatsConfig, published?: Publication): Map<string, { complaints: Count; remedies: Count }> {
  const publication = published ?? buildPublication(db, {
    organisation: getOrganisation(db)?.name ?? '', asOf: today(), today: today(), baseK: config.statsK, k: config.statsK,
    embargoDays: config.statsEmbargoDays, tables: ['complaints_by_deployment'],
  });
  const counts = new Map<string, { complaints: Count; remedies: Count }>();
  for (const row of publication.tables.find((t) => t.id === 'complaints_by_deployment')?.rows ?? []) {
    const entry = counts.get(row.deployment!) ?? { complaints: `<${config.statsK}`, remedies: `<${config.statsK}` };
    entry[row.measure as 'complaints' | 'remedies'] = row.count;
    counts.set(row.deployment!, entry);
  }
  return counts;
}

type Directory = Map<string, { name: string; kind: PathwayKind }>;
const directoryOf = (db: Conn): Directory => new Map(db.select().from(pathways).all().map((p) => [p.id, { name: p.name, kind: p.kind }]));

function viewOf(row: Row, directory: Directory, counts: ReturnType<typeof caseCounts>, k: number): DeploymentView {
  const entry = row.entry as DeploymentEntry;
  return {
    id: row.id, entry, updatedAt: row.updatedAt, glance: glanceOf(entry),
    pathways: entry.pathwayIds.map((id) => ({ id, name: directory.get(id)?.name ?? null, kind: directory.get(id)?.kind ?? null })),
    cases: counts.get(row.id) ?? { complaints: `<${k}`, remedies: `<${k}` },
  };
}

/** The register with its counts; `published` (the public page's publication) supplies them when given. */
export function registerView(db: Db, config: StatsConfig, published?: Publication): RegisterView {
  const rows = db.select().from(pathways).all();
  const directory = directoryOf(db);
  const counts = caseCounts(db, config, published);
  const entries = db.select().from(deployments).all()
    .sort((a, b) => a.systemName.localeCompare(b.systemName, 'en'))
    .map((row) => viewOf(row, directory, counts, config.statsK));
  return {
    entries, asOf: today(), k: config.statsK,
    directory: rows.filter((p) => !p.retiredAt).map((p) => ({ id: p.id, name: p.name, kind: p.kind })),
  };
}

export function deploymentView(db: Db, config: StatsConfig, id: string): DeploymentView {
  const row = db.select().from(deployments).where(eq(deployments.id, id)).get();
  if (!row) throw new AppError(404, 'not_found');
  return viewOf(row, directoryOf(db), caseCounts(db, config), config.statsK);
}

/** Checks a desk edit: schema, at least one source, pathways from the directory; refusals are audited. */
function checkedEdit(db: Conn, actor: string, body: unknown, validationError: Error | undefined, subject: string | null): DeploymentEntry {
  try {
    if (validationError) throw validationError;
    const entry = body as DeploymentEntry;
    if (!entry.sources.length) throw new AppError(400, 'source_required', 'sources');
    if (unknownPathways(db, entry).length) throw new AppError(400, 'unknown_pathway', 'pathwayIds');
    return entry;
  } catch (err) {
    const { statusCode, code, field } = mapError(err as AppError);
    if (statusCode < 500) appendAudit(db, { at: new Date().toISOString(), actor, action: 'register.refused', subject, detail: { code, field: field ?? null } });
    throw err;
  }
}

export function createDeployment(db: Db, config: StatsConfig, actor: string, body: unknown, validationError?: Error): DeploymentView {
  const entry = checkedEdit(db, actor, body, validationError, null);
  const id = uniqueId(db, entry.systemName);
  const now = new Date().toISOString();
  db.transaction((tx) => {
    tx.insert(deployments).values({ id, systemName: entry.systemName, systemType: entry.systemType, deployerClass: entry.deployerClass, entry, updatedAt: now }).run();
    appendAudit(tx, { at: now, actor, action: 'register.created', subject: id });
  });
  return deploymentView(db, config, id);
}

export function updateDeployment(db: Db, config: StatsConfig, actor: string, id: string, body: unknown, validationError?: Error): DeploymentView {
  if (!db.select({ id: deployments.id }).from(deployments).where(eq(deployments.id, id)).get()) throw new AppError(404, 'not_found');
  const entry = checkedEdit(db, actor, body, validationError, id);
  const now = new Date().toISOString();
  db.transaction((tx) => {
    tx.update(deployments).set({ systemName: entry.systemName, systemType: entry.systemType, deployerClass: entry.deployerClass, entry, updatedAt: now })
      .where(eq(deployments.id, id)).run();
    appendAudit(tx, { at: now, actor, action: 'register.updated', subject: id });
  });
  return deploymentView(db, config, id);
}

/** Removes an entry no case is linked to (a linked entry stays: the cases' coding points at it). */
export function deleteDeployment(db: Conn, actor: string, id: string): void {
  if (!db.select({ id: deployments.id }).from(deployments).where(eq(deployments.id, id)).get()) throw new AppError(404, 'not_found');
  if (db.select({ n: count() }).from(cases).where(eq(cases.deploymentId, id)).get()!.n) throw new AppError(409, 'deployment_in_use');
  db.transaction((tx) => {
    tx.delete(deployments).where(eq(deployments.id, id)).run();
    appendAudit(tx, { at: new Date().toISOString(), actor, action: 'register.deleted', subject: id });
  });
}

export interface ImportResult { added: string[]; replaced: string[]; kept: string[]; danglingPathways: string[] }

/**
 * Imports entries (the shape of db/seed/deployments.json, each with its id): new ids are added;
 * existing ones are kept as edited at the desk unless `replace`. Every entry is checked before
 * anything is written, so a bad file writes nothing.
 */
export function importDeployments(db: Conn, actor: string, items: unknown, options: { replace?: boolean } = {}): ImportResult {
  if (!Array.isArray(items)) throw new Error('the file must hold a JSON array of entries');
  const checked = items.map((item, i) => {
    const { id, ...rest } = (item ?? {}) as { id?: unknown };
    if (typeof id !== 'string' || !/^[a-z0-9][a-z0-9-]{0,79}$/.test(id)) throw new Error(`entry ${i + 1}: id must be lowercase letters, digits and dashes`);
    const result = checkEntry(rest);
    if ('problem' in result) throw new Error(`entry ${i + 1} (${id}): ${result.problem}`);
    return { id, entry: result.entry };
  });
  const result: ImportResult = { added: [], replaced: [], kept: [], danglingPathways: [] };
  const now = new Date().toISOString();
  db.transaction((tx) => {
    for (const { id, entry } of checked) {
      const exists = tx.select({ id: deployments.id }).from(deployments).where(eq(deployments.id, id)).get();
      if (exists && !options.replace) { result.kept.push(id); continue; }
      const values = { systemName: entry.systemName, systemType: entry.systemType, deployerClass: entry.deployerClass, entry, updatedAt: now };
      if (exists) tx.update(deployments).set(values).where(eq(deployments.id, id)).run();
      else tx.insert(deployments).values({ id, ...values }).run();
      (exists ? result.replaced : result.added).push(id);
      result.danglingPathways.push(...unknownPathways(tx, entry).map((p) => `${id}: ${p}`));
    }
    if (result.added.length || result.replaced.length) {
      appendAudit(tx, { at: now, actor, action: 'register.imported', detail: { added: String(result.added.length), replaced: String(result.replaced.length) } });
    }
  });
  return result;
}

/** On first start: the seed file, once (an admin who later deletes seeded entries does not see them return). */
export function seedRegisterOnce(db: Conn): void {
  if (db.select().from(serverSecrets).where(eq(serverSecrets.name, SEEDED_MARKER)).get()) return;
  if (!db.select({ n: count() }).from(deployments).get()!.n) importDeployments(db, 'system', JSON.parse(readFileSync(SEED_FILE, 'utf8')));
  db.insert(serverSecrets).values({ name: SEEDED_MARKER, value: today() }).onConflictDoNothing().run();
}

