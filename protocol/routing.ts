// Routing: which team a report is sealed to. The phone computes it from the published table and
// the server recomputes it, refusing an envelope sealed to anyone else. First matching rule wins.
import { Type, type Static } from 'typebox';
import { B64, Id, OneOf, strict } from './schema-kit.ts';
import { COUNTRIES, HARM_CATEGORY_IDS, LANGUAGE_CODES, findCategory } from './taxonomy.ts';

/** A rule matches a report when each list it sets contains the report's value (empty: any). */
export const RoutingRule = Type.Object({
  team: Id,
  categories: Type.Optional(Type.Array(OneOf(HARM_CATEGORY_IDS), { maxItems: 50 })),
  countries: Type.Optional(Type.Array(OneOf([...COUNTRIES, 'unknown']), { maxItems: 300 })),
  languages: Type.Optional(Type.Array(OneOf(LANGUAGE_CODES), { maxItems: 50 })),
  urgent: Type.Optional(Type.Boolean()),
}, strict);
export type RoutingRule = Static<typeof RoutingRule>;

export const PublishedTeam = Type.Object({
  id: Id,
  /** The team's current X25519 public key, base64url, and its key id. */
  publicKey: B64(32),
  kid: B64(16),
  /** The Ed25519 verify key derived from that key (§28.2): what the reporter pins; null until published. */
  verifyKey: Type.Union([B64(32), Type.Null()]),
  restricted: Type.Boolean(),
}, strict);
export type PublishedTeam = Static<typeof PublishedTeam>;

export const RoutingTable = Type.Object({
  rules: Type.Array(RoutingRule, { maxItems: 200 }),
  defaultTeam: Id,
  teams: Type.Array(PublishedTeam),
}, strict);
export type RoutingTable = Static<typeof RoutingTable>;

export interface RoutableReport {
  category: string;
  country: string;
  language: string;
  urgent: boolean;
  child: boolean;
}

function matches(rule: RoutingRule, report: RoutableReport): boolean {
  return (
    (!rule.categories?.length || (rule.categories as readonly string[]).includes(report.category)) &&
    (!rule.countries?.length || rule.countries.includes(report.country)) &&
    (!rule.languages?.length || (rule.languages as readonly string[]).includes(report.language)) &&
    (rule.urgent === undefined || rule.urgent === report.urgent)
  );
}

export function isSensitive(report: Pick<RoutableReport, 'category' | 'child'>): boolean {
  return report.child || Boolean(findCategory(report.category)?.sensitive);
}

/** Returns the team for a report. Sensitive reports only ever land in a restricted team when one exists. */
export function routeReport(report: RoutableReport, table: RoutingTable): PublishedTeam {
  const teams = new Map(table.teams.map((t) => [t.id, t]));
  const sensitive = isSensitive(report);
  const eligible = (id: string) => {
    const team = teams.get(id);
    return team && (!sensitive || team.restricted) ? team : undefined;
  };
  for (const rule of table.rules) {
    const team = matches(rule, report) ? eligible(rule.team) : undefined;
    if (team) return team;
  }
  const fallback = eligible(table.defaultTeam) ?? (sensitive ? table.teams.find((t) => t.restricted) : undefined);
  const team = fallback ?? teams.get(table.defaultTeam);
  if (!team) throw new Error('routing table has no default team');
  return team;
}
