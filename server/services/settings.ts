// Settings that change how the desk treats people and data: how an account is told about its
// queue (content-free mail, each time or daily), and how long a team keeps closed cases and lets
// reporters still write after closing. Each change is audited.
import { eq } from 'drizzle-orm';
import type { Conn } from '../../db/index.ts';
import { teams, users } from '../../db/schema.ts';
import type { NotifySettings, TeamSettings } from '../../protocol/remedy-api.ts';
import { AppError } from '../errors.ts';
import { appendAudit } from './audit.ts';

export function setNotifySettings(db: Conn, userId: string, settings: NotifySettings, now = new Date()): NotifySettings {
  db.transaction((tx) => {
    tx.update(users).set({ notify: settings.mode, notifyLanguage: settings.language }).where(eq(users.id, userId)).run();
    appendAudit(tx, { at: now.toISOString(), actor: userId, action: 'account.notifications_set', subject: userId, detail: { ...settings } });
  });
  return settings;
}

export function setTeamSettings(db: Conn, actor: string, teamId: string, settings: TeamSettings, now = new Date()): TeamSettings {
  if (!db.select({ id: teams.id }).from(teams).where(eq(teams.id, teamId)).get()) throw new AppError(404, 'not_found');
  db.transaction((tx) => {
    tx.update(teams).set(settings).where(eq(teams.id, teamId)).run();
    appendAudit(tx, {
      at: now.toISOString(), actor, action: 'team.settings_changed', subject: teamId,
      detail: { retentionDays: String(settings.retentionDays), graceDays: String(settings.graceDays) },
    });
  });
  return settings;
}
