// Accounts, for admins (PROTOCOL.md §31): invite someone (the form starts empty each time, and an
// analyst gets no teams), see and revoke pending links, disable or re-enable an account (and
// rotate the keys it held), issue a reset link, add an account to a team or remove it.
import { useEffect, useState } from 'preact/hooks';
import type { TFunction } from 'i18next';
import type { KeyPair } from '../../../protocol/envelope.ts';
import type { Disabled, InvitationCreated, PendingInvitation, UserSummary } from '../../../protocol/accounts-api.ts';
import type { Me, TeamView } from '../../../protocol/desk-api.ts';
import { api, errorText } from '../api.ts';
import { rotateTeamKey } from '../team-actions.ts';

const EMPTY_INVITE = { email: '', role: 'caseworker', teamIds: [] as string[] };

export function Accounts({ t, me }: { t: TFunction; me: Me; keys: KeyPair }) {
  const [users, setUsers] = useState<UserSummary[]>([]);
  const [pending, setPending] = useState<PendingInvitation[]>([]);
  const [teams, setTeams] = useState<TeamView[]>([]);
  const [invite, setInvite] = useState(EMPTY_INVITE);
  const [link, setLink] = useState<{ text: string; url: string } | null>(null);
  const [rotate, setRotate] = useState<{ email: string; teams: Disabled['rotate'] } | null>(null);
  const [adding, setAdding] = useState<Record<string, string>>({});
  const [error, setError] = useState('');

  async function load() {
    const [u, p, tm] = await Promise.all([api<UserSummary[]>('GET', '/api/users'), api<PendingInvitation[]>('GET', '/api/invitations'), api<TeamView[]>('GET', '/api/teams')]);
    setUsers(u); setPending(p); setTeams(tm);
  }
  useEffect(() => { load().catch((err) => setError(errorText(err))); }, []);
  async function act(fn: () => Promise<unknown>) {
    setError('');
    try { await fn(); await load(); } catch (err) { setError(errorText(err)); }
  }
  const teamName = (id: string) => teams.find((x) => x.id === id)?.name ?? id;

  async function sendInvite() {
    const created = await api<InvitationCreated>('POST', '/api/invitations', { ...(invite.email ? { email: invite.email } : {}), role: invite.role, teamIds: invite.role === 'analyst' ? [] : invite.teamIds });
    setLink({ text: t('desk:admin.inviteLink'), url: `${location.origin}${created.path}` });
    setInvite(EMPTY_INVITE);
  }

  async function disable(user: UserSummary) {
    const result = await api<Disabled>('POST', `/api/users/${user.id}/disable`);
    setRotate(result.rotate.length ? { email: user.email, teams: result.rotate } : null);
  }

  async function reset(user: UserSummary) {
    const created = await api<InvitationCreated>('POST', `/api/users/${user.id}/reset`);
    setLink({ text: t('desk:accounts.resetLink', { email: user.email }), url: `${location.origin}${created.path}` });
  }

  async function rotateNow(teamId: string) {
    const team = teams.find((x) => x.id === teamId);
    if (!team?.myGrant) throw new Error(t('desk:accounts.cannotRotate', { team: teamName(teamId) }));
    await rotateTeamKey(team);
    setRotate((r) => (r ? { ...r, teams: r.teams.filter((x) => x.id !== teamId) } : r));
  }

  return (
    <section class="admin accounts">
      <h1>{t('desk:accounts.title')}</h1>
      {error && <p class="error" role="alert">{error}</p>}
      {link && <p class="card notice" role="status">{link.text} <code data-testid="invite-link">{link.url}</code></p>}
      {rotate && (
        <div class="card warning" role="alert">
          <p>{t('desk:accounts.disabledRotate', { email: rotate.email })}</p>
          {rotate.teams.map((team) => <button type="button" key={team.id} onClick={() => void act(() => rotateNow(team.id))}>{t('desk:accounts.rotateNow', { team: team.name })}</button>)}
        </div>
      )}

      <h2>{t('desk:admin.invite')}</h2>
      <form class="card" onSubmit={(e) => { e.preventDefault(); void act(sendInvite); }}>
        <label for="invite-email">{t('desk:admin.inviteEmail')}</label>
        <input id="invite-email" type="email" value={invite.email} onInput={(e) => setInvite({ ...invite, email: e.currentTarget.value })} />
        <label for="invite-role">{t('desk:admin.role')}</label>
        <select id="invite-role" value={invite.role} onChange={(e) => setInvite({ ...invite, role: e.currentTarget.value, teamIds: [] })}>
          {['caseworker', 'analyst', 'admin'].map((r) => <option key={r} value={r}>{t(`desk:roles.${r}`)}</option>)}
        </select>
        {invite.role === 'analyst' ? <p class="hint">{t('desk:accounts.analystNoTeams')}</p> : (
          <fieldset><legend>{t('desk:admin.teams')}</legend>
            {teams.map((team) => (
              <label key={team.id} class="check"><input type="checkbox" checked={invite.teamIds.includes(team.id)}
                onChange={(e) => setInvite({ ...invite, teamIds: e.currentTarget.checked ? [...invite.teamIds, team.id] : invite.teamIds.filter((x) => x !== team.id) })} /> {team.name}</label>
            ))}
          </fieldset>
        )}
        <button type="submit" class="primary">{t('desk:admin.createInvite')}</button>
      </form>

      <h2>{t('desk:accounts.pending')}</h2>
      {pending.length === 0 ? <p>{t('desk:accounts.nonePending')}</p> : (
        <ul class="pending">
          {pending.map((p) => (
            <li key={p.id}>
              {t(`desk:accounts.kind.${p.kind}`)}: {p.email ?? t('desk:accounts.anyone')} ({t(`desk:roles.${p.role}`)}{p.teamIds.length ? ` · ${p.teamIds.map(teamName).join(', ')}` : ''}) · {t('desk:accounts.expires', { day: p.expiresAt.slice(0, 10) })}
              {' '}<button type="button" class="link" onClick={() => void act(() => api('DELETE', `/api/invitations/${p.id}`))}>{t('desk:accounts.revoke')}</button>
            </li>
          ))}
        </ul>
      )}

      <h2>{t('desk:accounts.list')}</h2>
      {users.map((user) => (
        <div key={user.id} class={`card account${user.disabled ? ' disabled' : ''}`} data-testid={`account-${user.email}`}>
          <h3>{user.email} <span class="meta">({t(`desk:roles.${user.role}`)})</span></h3>
          <p class="meta">
            {user.disabled ? <strong>{t('desk:accounts.disabled')}</strong> : user.resetPending ? t('desk:accounts.resetPending') : user.enrolled ? t('desk:accounts.active') : t('desk:accounts.notEnrolled')}
          </p>
          <ul>
            {user.teams.map((team) => (
              <li key={team.id}>{team.name} — {team.granted ? t('desk:admin.granted') : <strong>{t('desk:admin.pending')}</strong>}
                {user.id !== me.id && <> <button type="button" class="link" onClick={() => void act(() => api('DELETE', `/api/teams/${team.id}/members/${user.id}`))}>{t('desk:accounts.removeFrom', { team: team.name })}</button></>}</li>
            ))}
          </ul>
          {user.role !== 'analyst' && !user.disabled && teams.some((team) => !user.teams.some((x) => x.id === team.id)) && (
            <p>
              <label for={`add-${user.id}`}>{t('desk:accounts.addTo')}</label>{' '}
              <select id={`add-${user.id}`} value={adding[user.id] ?? ''} onChange={(e) => setAdding({ ...adding, [user.id]: e.currentTarget.value })}>
                <option value="">—</option>
                {teams.filter((team) => !user.teams.some((x) => x.id === team.id)).map((team) => <option key={team.id} value={team.id}>{team.name}</option>)}
              </select>{' '}
              <button type="button" disabled={!adding[user.id]} onClick={() => void act(() => api('POST', `/api/teams/${adding[user.id]}/members`, { userId: user.id }))}>{t('desk:accounts.add')}</button>
            </p>
          )}
          {user.id !== me.id && (
            <p class="actions">
              {user.disabled
                ? <button type="button" onClick={() => void act(() => api('POST', `/api/users/${user.id}/enable`))}>{t('desk:accounts.enable', { email: user.email })}</button>
                : <>
                  <button type="button" onClick={() => void act(() => disable(user))}>{t('desk:accounts.disable', { email: user.email })}</button>{' '}
                  <button type="button" onClick={() => void act(() => reset(user))}>{t('desk:accounts.reset', { email: user.email })}</button>
                </>}
            </p>
          )}
        </div>
      ))}
      <p class="hint">{t('desk:accounts.resetHint')}</p>
    </section>
  );
}
