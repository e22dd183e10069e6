// Routing: first matching rule wins; sensitive reports only reach restricted teams.
import { describe, expect, it } from 'vitest';
import { routeReport, type RoutingTable } from '../../protocol/routing.ts';

const team = (id: string, restricted = false) => ({ id, publicKey: `pk-${id}`, kid: `kid-${id}`, verifyKey: null, restricted });
const table: RoutingTable = {
  defaultTeam: 'general',
  teams: [team('general'), team('greece'), team('safeguarding', true), team('urgent')],
  rules: [
    { team: 'urgent', urgent: true },
    { team: 'greece', countries: ['GR'], languages: ['ar', 'fa'] },
  ],
};
const report = { category: 'denial_of_entry', country: 'GR', language: 'ar', urgent: false, child: false };

describe('routing', () => {
  it('takes the first matching rule, else the default team', () => {
    expect(routeReport(report, table).id).toBe('greece');
    expect(routeReport({ ...report, urgent: true }, table).id).toBe('urgent');
    expect(routeReport({ ...report, language: 'fr' }, table).id).toBe('general');
  });

  it('sends sexual exploitation and cases of children only to a restricted team', () => {
    expect(routeReport({ ...report, category: 'sexual_exploitation', urgent: true }, table).id).toBe('safeguarding');
    expect(routeReport({ ...report, child: true, urgent: true }, table).id).toBe('safeguarding');
  });
});
