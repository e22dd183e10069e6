// The admin's area: teams and their keys (granted and rotated here, in this browser), routing
// rules and the texts reporters read. Accounts and the audit log have their own pages.
import { useEffect, useState } from 'preact/hooks';
import type { TFunction } from 'i18next';
import type { KeyPair } from '../../../protocol/envelope.ts';
import type { RoutingRule, RoutingTable } from '../../../protocol/routing.ts';
import type { Me, PublicTexts, TeamView as Team } from '../../../protocol/desk-api.ts';
import { HARM_CATEGORIES, LANGUAGES, isLanguageCode, type HarmCategoryId } from '../../../protocol/taxonomy.ts';
import { api, errorText } from '../api.ts';
import { createTeam, grantTeamKey, rotateTeamKey } from '../team-actions.ts';
import { TeamSettingsForm } from './TeamSettingsForm.tsx';

export function Admin({ t, me, keys }: { t: TFunction; me: Me; keys: KeyPair }) {
  const [teams, setTeams] = useState<Team[]>([]);
  const [routing, setRouting] = useState<RoutingTable | null>(null);
  const [newTeam, setNewTeam] = useState({ name: '', restricted: false });
  const [newRule, setNewRule] = useState({ team: '', category: '' as HarmCategoryId | '', countries: '', languages: '' });
  const [error, setError] = useState('');
  const [textLang, setTextLang] = useState('en');
  const [texts, setTexts] = useState<PublicTexts | null>(null);
  const [drafts, setDrafts] = useState<Record<string, string>>({});
  useEffect(() => {
    api<PublicTexts>('GET', `/api/public-texts/${textLang}`)
      .then((found) => { setTexts(found); setDrafts(found.overrides); }).catch((err) => setError(errorText(err)));
  }, [textLang]);

  async function load() {
    const [t1, r1] = await Promise.all([api<Team[]>('GET', '/api/teams'), api<RoutingTable>('GET', '/api/routing')]);
    setTeams(t1); setRouting(r1);
  }
  useEffect(() => { load().catch((err) => setError(errorText(err))); }, []);
  async function act(fn: () => Promise<unknown>) {
    setError('');
    try { await fn(); await load(); } catch (err) { setError(errorText(err)); }
  }
  async function saveRouting(rules: RoutingRule[], defaultTeam: string) {
    await api('PUT', '/api/routing', { defaultTeam, rules });
  }
  const list = (text: string) => text.split(',').map((s) => s.trim()).filter(Boolean);

  return (
    <section class="admin">
      <h1>{t('desk:admin.title')}</h1>
      {error && <p class="error" role="alert">{error}</p>}

      <h2>{t('desk:admin.teams')}</h2>
      {teams.map((team) => (
        <div key={team.id} class="card team">
          <h3>{team.name}{team.restricted && ` · ${t('desk:admin.restricted')}`}{team.isDefault && ` · ${t('desk:admin.default')}`}</h3>
          <ul>
            {team.members.map((m) => (
              <li key={m.id}>
                {m.email} ({t(`desk:roles.${m.role}`)}) — {m.granted ? t('desk:admin.granted') : <strong>{t('desk:admin.pending')}</strong>}
                {!m.granted && team.myGrant && <> <button type="button" onClick={() => void act(() => grantTeamKey(team, m, keys, t('desk:admin.noGrantYourself')))}>{t('desk:admin.grant', { email: m.email })}</button></>}
                {m.id !== me.id && <> <button type="button" class="link" onClick={() => void act(() => api('DELETE', `/api/teams/${team.id}/members/${m.id}`))}>{t('desk:admin.remove')}</button></>}
              </li>
            ))}
          </ul>
          {team.myGrant && <button type="button" onClick={() => void act(() => rotateTeamKey(team))}>{t('desk:admin.rotate')}</button>}
          <TeamSettingsForm t={t} team={team} onSave={(settings) => act(() => api('PUT', `/api/teams/${team.id}/settings`, settings))} />
        </div>
      ))}
      <form class="card" onSubmit={(e) => { e.preventDefault(); void act(async () => { await createTeam(newTeam.name, newTeam.restricted, keys); setNewTeam({ name: '', restricted: false }); }); }}>
        <label for="team-name">{t('desk:admin.teamName')}</label>
        <input id="team-name" value={newTeam.name} onInput={(e) => setNewTeam({ ...newTeam, name: e.currentTarget.value })} required />
        <label class="check"><input type="checkbox" checked={newTeam.restricted} onChange={(e) => setNewTeam({ ...newTeam, restricted: e.currentTarget.checked })} /> {t('desk:admin.restrictedHint')}</label>
        <button type="submit">{t('desk:admin.createTeam')}</button>
      </form>

      <h2>{t('desk:admin.routing')}</h2>
      {routing && (
        <div class="card">
          <label for="default-team">{t('desk:admin.defaultTeam')}</label>
          <select id="default-team" value={routing.defaultTeam} onChange={(e) => void act(() => saveRouting(routing.rules, e.currentTarget.value))}>
            {teams.map((team) => <option key={team.id} value={team.id}>{team.name}</option>)}
          </select>
          <ol>
            {routing.rules.map((rule, i) => (
              <li key={i}>
                {[rule.categories?.map((c) => t(`taxonomy:category.${c}`)).join(', '), rule.countries?.join(', '), rule.languages?.join(', '), rule.urgent !== undefined && (rule.urgent ? t('desk:queue.urgent') : '')].filter(Boolean).join(' · ') || t('desk:queue.any')}
                {' → '}{teams.find((x) => x.id === rule.team)?.name}
                {' '}<button type="button" class="link" onClick={() => void act(() => saveRouting(routing.rules.filter((_, j) => j !== i), routing.defaultTeam))}>{t('desk:admin.remove')}</button>
              </li>
            ))}
          </ol>
          <form onSubmit={(e) => { e.preventDefault(); void act(() => saveRouting([...routing.rules, {
            team: newRule.team, ...(newRule.category ? { categories: [newRule.category] } : {}),
            ...(newRule.countries ? { countries: list(newRule.countries).map((c) => c.toUpperCase()) } : {}),
            ...(newRule.languages ? { languages: list(newRule.languages).filter(isLanguageCode) } : {}),
          }], routing.defaultTeam)); }}>
            <label for="rule-category">{t('desk:case.category')}</label>
            <select id="rule-category" value={newRule.category} onChange={(e) => setNewRule({ ...newRule, category: e.currentTarget.value as HarmCategoryId | '' })}>
              <option value="">{t('desk:queue.any')}</option>
              {HARM_CATEGORIES.map((c) => <option key={c.id} value={c.id}>{t(`taxonomy:category.${c.id}`)}</option>)}
            </select>
            <label for="rule-countries">{t('desk:admin.countries')}</label>
            <input id="rule-countries" value={newRule.countries} placeholder="GR, IT" onInput={(e) => setNewRule({ ...newRule, countries: e.currentTarget.value })} />
            <label for="rule-languages">{t('desk:admin.languages')}</label>
            <input id="rule-languages" value={newRule.languages} placeholder="ar, fa" onInput={(e) => setNewRule({ ...newRule, languages: e.currentTarget.value })} />
            <label for="rule-team">{t('desk:admin.team')}</label>
            <select id="rule-team" value={newRule.team} onChange={(e) => setNewRule({ ...newRule, team: e.currentTarget.value })} required>
              <option value="">—</option>
              {teams.map((team) => <option key={team.id} value={team.id}>{team.name}</option>)}
            </select>
            <button type="submit">{t('desk:admin.addRule')}</button>
          </form>
        </div>
      )}

      <h2>{t('desk:admin.texts')}</h2>
      <div class="card">
        <p class="hint">{t('desk:admin.textsHint')}</p>
        <label for="text-lang">{t('desk:language')}</label>
        <select id="text-lang" value={textLang} onChange={(e) => setTextLang(e.currentTarget.value)}>
          {LANGUAGES.map((l) => <option key={l.code} value={l.code} lang={l.code}>{l.nativeName}</option>)}
        </select>
        {texts && Object.keys(texts.defaults).map((key) => (
          <div key={key}>
            <label for={`text-${key}`}>{key.startsWith('status.') ? t(`desk:status.${key.slice(7)}`) : t('desk:admin.ackTemplate')}</label>
            <textarea id={`text-${key}`} rows={2} lang={textLang} dir={LANGUAGES.find((l) => l.code === textLang)?.dir} placeholder={texts.defaults[key]}
              value={drafts[key] ?? ''} onInput={(e) => setDrafts({ ...drafts, [key]: e.currentTarget.value })} />
            <button type="button" onClick={() => void act(async () => {
              const saved = await api<PublicTexts>('PUT', `/api/public-texts/${textLang}`, { key, text: drafts[key] ?? '' });
              setTexts(saved);
            })}>{t('desk:admin.saveText')}</button>
          </div>
        ))}
      </div>

    </section>
  );
}
