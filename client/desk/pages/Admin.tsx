// The admin's area: invite people, grant team access (sealed here, in this browser), manage
// teams and their keys, edit routing rules, read the audit log.
import { useEffect, useState } from 'preact/hooks';
import type { TFunction } from 'i18next';
import { fromBase64Url, toBase64Url } from '../../../protocol/encoding.ts';
import type { KeyPair } from '../../../protocol/envelope.ts';
import { generateKeyPair, sealGrant } from '../../../protocol/keys.ts';
import type { RoutingRule, RoutingTable } from '../../../protocol/routing.ts';
import type { Intake } from '../../../protocol/api.ts';
import type { AuditEntry, InvitationCreated, Me, PublicTexts, TeamView as Team, UserSummary as User } from '../../../protocol/desk-api.ts';
import { HARM_CATEGORIES, LANGUAGES, isLanguageCode, type HarmCategoryId } from '../../../protocol/taxonomy.ts';
import { api, errorText } from '../api.ts';
import { teamKeyFromGrant } from '../keys.ts';
import { TeamSettingsForm } from './TeamSettingsForm.tsx';

export function Admin({ t, me, keys }: { t: TFunction; me: Me; keys: KeyPair }) {
  const [teams, setTeams] = useState<Team[]>([]);
  const [users, setUsers] = useState<User[]>([]);
  const [routing, setRouting] = useState<RoutingTable | null>(null);
  const [audit, setAudit] = useState<AuditEntry[]>([]);
  const [invite, setInvite] = useState({ email: '', role: 'caseworker', teamIds: [] as string[] });
  const [inviteLink, setInviteLink] = useState('');
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
    const [t1, u1, r1, a1] = await Promise.all([
      api<Team[]>('GET', '/api/teams'), api<User[]>('GET', '/api/users'), api<RoutingTable>('GET', '/api/routing'), api<AuditEntry[]>('GET', '/api/audit'),
    ]);
    setTeams(t1); setUsers(u1); setRouting(r1); setAudit(a1);
  }
  useEffect(() => { load().catch((err) => setError(errorText(err))); }, []);
  async function act(fn: () => Promise<unknown>) {
    setError('');
    try { await fn(); await load(); } catch (err) { setError(errorText(err)); }
  }
  const email = (id: string) => users.find((u) => u.id === id)?.email ?? id;

  async function grant(team: Team, member: Team['members'][number]) {
    const teamPair = team.myGrant ? await teamKeyFromGrant(team.myGrant, keys, team.key.publicKey) : null;
    if (!teamPair) throw new Error(t('desk:admin.noGrantYourself'));
    await api('POST', `/api/teams/${team.id}/grants`, { userId: member.id, sealedPrivateKey: await sealGrant(teamPair.privateKey, fromBase64Url(member.publicKey)!) });
  }

  async function recoveryKey(): Promise<Uint8Array> {
    return fromBase64Url((await api<Intake>('GET', '/api/intake')).recovery.publicKey)!;
  }

  async function createTeam() {
    const pair = await generateKeyPair();
    await api('POST', '/api/teams', {
      name: newTeam.name, restricted: newTeam.restricted, publicKey: toBase64Url(pair.publicKey),
      creatorGrant: await sealGrant(pair.privateKey, keys.publicKey), recoveryGrant: await sealGrant(pair.privateKey, await recoveryKey()),
    });
    setNewTeam({ name: '', restricted: false });
  }

  /** A new team key, sealed here to every member who holds the current one and to the recovery key. */
  async function rotate(team: Team) {
    const pair = await generateKeyPair();
    const memberGrants = await Promise.all(team.members.filter((m) => m.granted).map(async (m) => ({ userId: m.id, sealedPrivateKey: await sealGrant(pair.privateKey, fromBase64Url(m.publicKey)!) })));
    await api('POST', `/api/teams/${team.id}/keys`, { publicKey: toBase64Url(pair.publicKey), grants: [...memberGrants, { userId: null, sealedPrivateKey: await sealGrant(pair.privateKey, await recoveryKey()) }] });
  }

  async function saveRouting(rules: RoutingRule[], defaultTeam: string) {
    await api('PUT', '/api/routing', { defaultTeam, rules });
  }
  const list = (text: string) => text.split(',').map((s) => s.trim()).filter(Boolean);

  return (
    <section class="admin">
      <h1>{t('desk:admin.title')}</h1>
      {error && <p class="error" role="alert">{error}</p>}

      <h2>{t('desk:admin.invite')}</h2>
      <form class="card" onSubmit={(e) => { e.preventDefault(); void act(async () => {
        const created = await api<InvitationCreated>('POST', '/api/invitations', { ...(invite.email ? { email: invite.email } : {}), role: invite.role, teamIds: invite.teamIds });
        setInviteLink(`${location.origin}${created.path}`);
      }); }}>
        <label for="invite-email">{t('desk:admin.inviteEmail')}</label>
        <input id="invite-email" type="email" value={invite.email} onInput={(e) => setInvite({ ...invite, email: e.currentTarget.value })} />
        <label for="invite-role">{t('desk:admin.role')}</label>
        <select id="invite-role" value={invite.role} onChange={(e) => setInvite({ ...invite, role: e.currentTarget.value })}>
          {['caseworker', 'analyst', 'admin'].map((r) => <option key={r} value={r}>{t(`desk:roles.${r}`)}</option>)}
        </select>
        <fieldset><legend>{t('desk:admin.teams')}</legend>
          {teams.map((team) => (
            <label key={team.id} class="check"><input type="checkbox" checked={invite.teamIds.includes(team.id)}
              onChange={(e) => setInvite({ ...invite, teamIds: e.currentTarget.checked ? [...invite.teamIds, team.id] : invite.teamIds.filter((x) => x !== team.id) })} /> {team.name}</label>
          ))}
        </fieldset>
        <button type="submit" class="primary">{t('desk:admin.createInvite')}</button>
        {inviteLink && <p>{t('desk:admin.inviteLink')} <code data-testid="invite-link">{inviteLink}</code></p>}
      </form>

      <h2>{t('desk:admin.teams')}</h2>
      {teams.map((team) => (
        <div key={team.id} class="card team">
          <h3>{team.name}{team.restricted && ` · ${t('desk:admin.restricted')}`}{team.isDefault && ` · ${t('desk:admin.default')}`}</h3>
          <ul>
            {team.members.map((m) => (
              <li key={m.id}>
                {m.email} ({t(`desk:roles.${m.role}`)}) — {m.granted ? t('desk:admin.granted') : <strong>{t('desk:admin.pending')}</strong>}
                {!m.granted && team.myGrant && <> <button type="button" onClick={() => void act(() => grant(team, m))}>{t('desk:admin.grant', { email: m.email })}</button></>}
                {m.id !== me.id && <> <button type="button" class="link" onClick={() => void act(() => api('DELETE', `/api/teams/${team.id}/members/${m.id}`))}>{t('desk:admin.remove')}</button></>}
              </li>
            ))}
          </ul>
          {team.myGrant && <button type="button" onClick={() => void act(() => rotate(team))}>{t('desk:admin.rotate')}</button>}
          <TeamSettingsForm t={t} team={team} onSave={(settings) => act(() => api('PUT', `/api/teams/${team.id}/settings`, settings))} />
        </div>
      ))}
      <form class="card" onSubmit={(e) => { e.preventDefault(); void act(createTeam); }}>
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

      <h2>{t('desk:admin.audit')}</h2>
      <table class="audit">
        <thead><tr><th>#</th><th>{t('desk:admin.when')}</th><th>{t('desk:admin.who')}</th><th>{t('desk:admin.what')}</th><th>{t('desk:admin.subject')}</th></tr></thead>
        <tbody>
          {audit.map((e) => (
            <tr key={e.seq}><td>{e.seq}</td><td>{e.at.slice(0, 16).replace('T', ' ')}</td><td>{e.actor === 'public' ? e.actor : email(e.actor)}</td><td>{e.action}</td><td>{e.subject ?? ''}</td></tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
