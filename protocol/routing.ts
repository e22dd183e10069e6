// Routing: which team a report is sealed to. The phone computes it from the published table and
// the server recomputes it, refusing an envelope sealed to anyone else. First matching rule wins.
import { findCategory } from './taxonomy.ts';

export interface RoutingRule {
  team: string;
  categories?: string[];
  countries?: string[];
  languages?: string[];
  urgent?: boolean;
}

export interface PublishedTeam {
  id: string;
  /** The team's current X25519 public key, base64url, and its key id. */
  publicKey: string;
  kid: string;
  restricted: boolean;
}

export interface RoutingTable {
  rules: RoutingRule[];
  defaultTeam: string;
  teams: PublishedTeam[];
}

export interface RoutableReport {
  category: string;
  country: string;
  language: string;
  urgent: boolean;
  child: boolean;
}

function matches(rule: RoutingRule, report: RoutableReport): boolean {
  return (
    (!rule.categories?.length || rule.categories.includes(report.category)) &&
    (!rule.countries?.length || rule.countries.includes(report.country)) &&
    (!rule.languages?.length || rule.languages.includes(report.language)) &&
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
