// The organisation as the public sees it: whether it is open, its recovery key, its teams'
// current public keys and the routing table, gathered into GET /api/intake.
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Conn } from '../../db/index.ts';
import { organisation, routingRules, teamKeys, teams } from '../../db/schema.ts';
import type { Intake } from '../../protocol/api.ts';
import { LIMITS } from '../../protocol/limits.ts';
import { RECEIPT_KDF } from '../../protocol/receipt.ts';
import type { RoutingRule, RoutingTable } from '../../protocol/routing.ts';
import {
  CONTACT_METHODS, COUNTRIES, HARM_CATEGORIES, LANGUAGES, REPORTER_ROLES, SYSTEM_TYPES, TAXONOMY_VERSION,
} from '../../protocol/taxonomy.ts';

type Organisation = typeof organisation.$inferSelect;

/**
 * The organisation and its routing table change only at setup, team creation, key rotation and
 * routing edits, but are needed by every submission: kept per database until one of those writes
 * calls invalidateOrganisation(). Before setup nothing is cached, so a CLI setup shows at once.
 */
const cache = new WeakMap<Conn, { org: Organisation; table: RoutingTable | null }>();

export function invalidateOrganisation(db: Conn): void {
  cache.delete(db);
}

export function getOrganisation(db: Conn): Organisation | undefined {
  const hit = cache.get(db);
  if (hit) return hit.org;
  const org = db.select().from(organisation).where(eq(organisation.id, 1)).get();
  if (org) cache.set(db, { org, table: readRoutingTable(db) });
  return org;
}

/** Teams with their current (unretired) key; the default team is the fallback route. */
export function routingTable(db: Conn): RoutingTable | null {
  return getOrganisation(db) ? cache.get(db)!.table : readRoutingTable(db);
}

function readRoutingTable(db: Conn): RoutingTable | null {
  const rows = db
    .select({ id: teams.id, restricted: teams.restricted, isDefault: teams.isDefault, publicKey: teamKeys.publicKey, kid: teamKeys.kid, verifyKey: teamKeys.verifyKey })
    .from(teams)
    .innerJoin(teamKeys, and(eq(teamKeys.teamId, teams.id), isNull(teamKeys.retiredAt)))
    .all();
  const fallback = rows.find((r) => r.isDefault);
  if (!fallback) return null;
  const rules = db.select().from(routingRules).orderBy(asc(routingRules.position)).all().map((r) => {
    const rule: RoutingRule = { team: r.teamId };
    for (const field of ['categories', 'countries', 'languages'] as const) {
      if (r[field].length) Object.assign(rule, { [field]: r[field] });
    }
    if (r.urgent !== null) rule.urgent = r.urgent;
    return rule;
  });
  return {
    rules,
    defaultTeam: fallback.id,
    teams: rows.map(({ id, restricted, publicKey, kid, verifyKey }) => ({ id, restricted, publicKey, kid, verifyKey })),
  };
}

export function buildIntake(db: Conn): Intake | null {
  const org = getOrganisation(db);
  const routing = org && routingTable(db);
  if (!org || !routing) return null;
  return {
    taxonomyVersion: TAXONOMY_VERSION,
    languages: LANGUAGES.map((l) => ({ ...l })),
    categories: HARM_CATEGORIES.map((c) => ({ ...c })),
    systemTypes: [...SYSTEM_TYPES],
    roles: [...REPORTER_ROLES],
    contactMethods: [...CONTACT_METHODS],
    countries: COUNTRIES,
    routing,
    recovery: { publicKey: org.recoveryPublicKey, kid: org.recoveryKid },
    receiptSalt: org.receiptSalt,
    receiptKdf: { algorithm: 'argon2id13', ...RECEIPT_KDF },
    limits: { ...LIMITS },
  };
}
