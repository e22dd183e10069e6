// Editing the routing table (admins): rules in order and the default team. Sensitive categories
// may only be routed to restricted teams; anything else is refused before it is stored.
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/index.ts';
import { routingRules, teams } from '../../db/schema.ts';
import type { RoutingRule } from '../../protocol/routing.ts';
import { COUNTRIES, HARM_CATEGORIES, LANGUAGE_CODES, findCategory } from '../../protocol/taxonomy.ts';
import { AppError } from '../errors.ts';
import { appendAudit } from './audit.ts';
import { invalidateOrganisation } from './organisation.ts';

export function replaceRouting(db: Db, actor: string, input: { defaultTeam: string; rules: RoutingRule[] }) {
  const allTeams = new Map(db.select().from(teams).all().map((t) => [t.id, t]));
  const fallback = allTeams.get(input.defaultTeam);
  if (!fallback) throw new AppError(400, 'invalid_request', 'defaultTeam');
  input.rules.forEach((rule, i) => {
    const team = allTeams.get(rule.team);
    if (!team) throw new AppError(400, 'invalid_request', `rules.${i}.team`);
    if (rule.categories?.some((c) => !HARM_CATEGORIES.some((h) => h.id === c))) throw new AppError(400, 'unknown_category', `rules.${i}.categories`);
    if (rule.countries?.some((c) => !COUNTRIES.includes(c) && c !== 'unknown')) throw new AppError(400, 'unknown_country', `rules.${i}.countries`);
    if (rule.languages?.some((l) => !LANGUAGE_CODES.includes(l))) throw new AppError(400, 'unknown_language', `rules.${i}.languages`);
    if (rule.categories?.some((c) => findCategory(c)?.sensitive) && !team.restricted) throw new AppError(400, 'sensitive_route', `rules.${i}.team`);
  });
  db.transaction((tx) => {
    tx.delete(routingRules).run();
    input.rules.forEach((rule, position) => tx.insert(routingRules).values({
      position, teamId: rule.team, categories: JSON.stringify(rule.categories ?? []), countries: JSON.stringify(rule.countries ?? []),
      languages: JSON.stringify(rule.languages ?? []), urgent: rule.urgent ?? null,
    }).run());
    tx.update(teams).set({ isDefault: false }).run();
    tx.update(teams).set({ isDefault: true }).where(eq(teams.id, input.defaultTeam)).run();
    appendAudit(tx as unknown as Db, { at: new Date().toISOString(), actor, action: 'routing.changed', subject: null, detail: { rules: String(input.rules.length), defaultTeam: input.defaultTeam } });
  });
  invalidateOrganisation(db);
}
