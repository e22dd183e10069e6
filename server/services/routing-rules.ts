// Editing the routing table (admins): rules in order and the default team. Sensitive categories
// may only be routed to restricted teams; anything else is refused before it is stored. Unknown
// categories, countries and languages never get here: the schema's enums refuse them.
import { eq } from 'drizzle-orm';
import type { Conn } from '../../db/index.ts';
import { routingRules, teams } from '../../db/schema.ts';
import type { EditRouting } from '../../protocol/desk-api.ts';
import type { RoutingTable } from '../../protocol/routing.ts';
import { findCategory } from '../../protocol/taxonomy.ts';
import { AppError } from '../errors.ts';
import { appendAudit } from './audit.ts';
import { invalidateOrganisation, routingTable } from './organisation.ts';

/** The routing table as the desk edits it (the same one intake publishes). */
export function currentRouting(db: Conn): RoutingTable {
  const table = routingTable(db);
  if (!table) throw new AppError(404, 'not_found');
  return table;
}

export function replaceRouting(db: Conn, actor: string, input: EditRouting): RoutingTable {
  const allTeams = new Map(db.select().from(teams).all().map((t) => [t.id, t]));
  const fallback = allTeams.get(input.defaultTeam);
  if (!fallback) throw new AppError(400, 'invalid_request', 'defaultTeam');
  input.rules.forEach((rule, i) => {
    const team = allTeams.get(rule.team);
    if (!team) throw new AppError(400, 'invalid_request', `rules.${i}.team`);
    if (rule.categories?.some((c) => findCategory(c)?.sensitive) && !team.restricted) throw new AppError(400, 'sensitive_route', `rules.${i}.team`);
  });
  db.transaction((tx) => {
    tx.delete(routingRules).run();
    input.rules.forEach((rule, position) => tx.insert(routingRules).values({
      position, teamId: rule.team, categories: rule.categories ?? [], countries: rule.countries ?? [],
      languages: rule.languages ?? [], urgent: rule.urgent ?? null,
    }).run());
    tx.update(teams).set({ isDefault: false }).run();
    tx.update(teams).set({ isDefault: true }).where(eq(teams.id, input.defaultTeam)).run();
    appendAudit(tx, { at: new Date().toISOString(), actor, action: 'routing.changed', subject: null, detail: { rules: String(input.rules.length), defaultTeam: input.defaultTeam } });
  });
  invalidateOrganisation(db);
  return currentRouting(db);
}
