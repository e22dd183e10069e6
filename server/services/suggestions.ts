// Which bodies could give this person a remedy: the directory filtered by the case's category,
// country and deployer, ranked by how well each kind of body fits the harm and its urgency, with
// the deadline still open counted from the incident month. Pure: the caller hands in the facts.
import type { PathwayView, Suggestion } from '../../protocol/remedy-api.ts';
import type { DeployerClass, HarmCategoryId, PathwayKind } from '../../protocol/taxonomy.ts';

export interface CaseFacts {
  /** The coded category once the case is coded, else the reporter's. */
  category: HarmCategoryId;
  country: string;
  urgent: boolean;
  incidentMonth: string;
  deployerClass: DeployerClass | null;
  /** Pathways the register names for the coded deployment (deployments.entry.pathwayIds). */
  deploymentPathwayIds: string[];
}

/** The kinds of body that fit a harm, best first (a caseworker's first reflex, not a legal rule). */
export const KIND_FIT: Record<HarmCategoryId, PathwayKind[]> = {
  pushback: ['court_interim_measures', 'eu_complaints_mechanism', 'fundamental_rights_officer', 'nhri', 'ombudsman'],
  denial_of_entry: ['ombudsman', 'nhri', 'eu_complaints_mechanism', 'deployer_letter', 'dpa'],
  asylum_blocked: ['ombudsman', 'nhri', 'eu_complaints_mechanism', 'court_interim_measures'],
  biometric_lockout: ['agency_accountability', 'dpa', 'deployer_letter'],
  misidentification_detention: ['dpa', 'ombudsman', 'nhri', 'un_treaty_body'],
  assistance_cut: ['agency_accountability', 'deployer_letter', 'dpa'],
  discrimination: ['nhri', 'ombudsman', 'un_treaty_body', 'dpa'],
  data_protection: ['dpa', 'deployer_letter', 'market_surveillance'],
  no_explanation: ['deployer_letter', 'market_surveillance', 'dpa'],
  lie_detection: ['market_surveillance', 'dpa', 'deployer_letter'],
  family_separation: ['nhri', 'ombudsman', 'un_treaty_body', 'court_interim_measures'],
  sexual_exploitation: ['agency_accountability', 'eu_complaints_mechanism', 'nhri'],
  other: ['ombudsman', 'nhri'],
};
const FIT_POINTS = [45, 35, 20];
const SUGGESTIONS_SHOWN = 12;

const DAY = 86_400_000;

/** When the deadline to complain may close: counted from the first day of the incident month (or year). */
export function pathwayDeadline(entry: Pick<PathwayView, 'deadline'>, incidentMonth: string, now: Date): Suggestion['deadline'] {
  const { months, text } = entry.deadline;
  if (months === null) return { state: 'no_fixed_deadline', closesOn: null, text };
  const match = /^(\d{4})(?:-(\d{2}))?$/.exec(incidentMonth);
  if (!match) return { state: 'incident_unknown', closesOn: null, text };
  const closes = new Date(Date.UTC(Number(match[1]), (match[2] ? Number(match[2]) - 1 : 0) + months, 1));
  const closesOn = closes.toISOString().slice(0, 10);
  const left = closes.getTime() - Date.parse(now.toISOString().slice(0, 10));
  return { state: left < 0 ? 'passed' : left <= 30 * DAY ? 'closing_soon' : 'open', closesOn, text };
}

/** Whether an entry can act on this case at all (an empty list in the entry means "any"). */
function applies(entry: PathwayView, facts: CaseFacts): boolean {
  if (entry.retiredAt) return false;
  if (entry.countries.length > 0 && !entry.countries.includes(facts.country)) return false;
  if (entry.harmCategories.length > 0 && !entry.harmCategories.includes(facts.category)) return false;
  if (facts.deployerClass && facts.deployerClass !== 'unknown' && entry.deployers.length > 0 && !entry.deployers.includes(facts.deployerClass)) return false;
  return true;
}

export function suggestPathways(entries: PathwayView[], facts: CaseFacts, now: Date): Suggestion[] {
  const fit = KIND_FIT[facts.category] ?? [];
  return entries.filter((entry) => applies(entry, facts)).map((entry) => {
    const reasons: Suggestion['reasons'] = [];
    let score = 0;
    const add = (reason: Suggestion['reasons'][number], points: number) => { reasons.push(reason); score += points; };
    if (facts.urgent && entry.urgent) add('urgent', 25);
    if (facts.deploymentPathwayIds.includes(entry.id)) add('deployment', 30);
    const position = fit.indexOf(entry.kind);
    if (position >= 0) add('kind', FIT_POINTS[position] ?? 15);
    if (entry.harmCategories.includes(facts.category)) add('category', 10);
    if (facts.deployerClass && entry.deployers.includes(facts.deployerClass)) add('deployer', 10);
    if (entry.countries.includes(facts.country)) add('country', 10);
    const deadline = pathwayDeadline(entry, facts.incidentMonth, now);
    if (deadline.state === 'passed') score -= 60;
    return {
      score,
      suggestion: {
        pathwayId: entry.id, name: entry.name, kind: entry.kind, reasons, deadline,
        urgent: entry.urgent, lawyerNeeded: entry.lawyerNeeded, canAchieve: entry.canAchieve,
      },
    };
  }).filter(({ suggestion }) => suggestion.reasons.length > 0)
    .sort((a, b) => b.score - a.score || a.suggestion.name.localeCompare(b.suggestion.name))
    .slice(0, SUGGESTIONS_SHOWN).map(({ suggestion }) => suggestion);
}
