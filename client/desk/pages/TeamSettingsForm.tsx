// A team's retention (how long closed cases are kept before they are purged) and reply grace
// (how long a reporter may still write after closing), edited by an admin.
import { useState } from 'preact/hooks';
import type { TFunction } from 'i18next';
import type { TeamView } from '../../../protocol/desk-api.ts';
import type { TeamSettings } from '../../../protocol/remedy-api.ts';

export function TeamSettingsForm({ t, team, onSave }: { t: TFunction; team: TeamView; onSave: (settings: TeamSettings) => Promise<void> }) {
  const [retention, setRetention] = useState(String(team.retentionDays));
  const [grace, setGrace] = useState(String(team.graceDays));
  const id = (name: string) => `team-${team.id}-${name}`;
  return (
    <form class="team-settings" onSubmit={(e) => { e.preventDefault(); void onSave({ retentionDays: Number(retention), graceDays: Number(grace) }); }}>
      <label for={id('retention')}>{t('desk:remedy.team.retention')}</label>
      <input id={id('retention')} type="number" min={30} max={3650} required value={retention} onInput={(e) => setRetention(e.currentTarget.value)} />
      <label for={id('grace')}>{t('desk:remedy.team.grace')}</label>
      <input id={id('grace')} type="number" min={0} max={365} required value={grace} onInput={(e) => setGrace(e.currentTarget.value)} />
      <p class="hint">{t('desk:remedy.team.hint')}</p>
      <button type="submit">{t('desk:remedy.save')}</button>
    </form>
  );
}
