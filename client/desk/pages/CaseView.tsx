// One case, decrypted here in the caseworker's browser: the report with its labels in my language
// (the reporter's language marked), status along the lifecycle (reopening with a reason),
// assignment, sealed notes, the remedy panel (coding, referrals, deadlines), and signed messages
// with the reporter, each shown with what could be proved about its sender.
import { useEffect, useState } from 'preact/hooks';
import type { TFunction } from 'i18next';
import type { KeyPair } from '../../../protocol/envelope.ts';
import type { ReportContent } from '../../../protocol/api.ts';
import { TRANSITIONS } from '../../../protocol/lifecycle.ts';
import { CLOSE_OUTCOMES, LANGUAGES, REOPEN_REASONS } from '../../../protocol/taxonomy.ts';
import type { CaseDetail, CaseNote, DeskMessage, Me, PublicTexts, TeamView } from '../../../protocol/desk-api.ts';
import { countryNames } from '../../../ui/i18n/index.ts';
import { api, errorText } from '../api.ts';
import { openNote, openReport, ownTeamVerifyKey, publishVerifyKey, readCaseMessage, sealNote, sealToReporter, teamKeyFromGrant } from '../keys.ts';
import { CaseMessages, PinNotice, type PinState, type ShownMessage } from './CaseMessages.tsx';
import type { PreparedFile } from '../../evidence/prepare.ts';
import { CaseFiles, OutgoingFiles, uploadAll } from './CaseFiles.tsx';
import { formatBytes } from '../../evidence/format.ts';
import { RemedyPanel } from './RemedyPanel.tsx';
import { ReferralPack, type PackRequest } from './ReferralPack.tsx';

type Team = Pick<TeamView, 'id' | 'members'>;

export function CaseView({ t, lang, id, me, keys, onBack }: { t: TFunction; lang: string; id: string; me: Me; keys: KeyPair; onBack: () => void }) {
  const [detail, setDetail] = useState<CaseDetail | null>(null);
  const [content, setContent] = useState<ReportContent | null | 'locked' | 'failed'>(null);
  const [teamPair, setTeamPair] = useState<KeyPair | null>(null);
  const [members, setMembers] = useState<Team['members']>([]);
  const [notes, setNotes] = useState<{ id: string; authorId: string; createdAt: string; text: string | null }[]>([]);
  const [note, setNote] = useState('');
  const [messages, setMessages] = useState<ShownMessage[]>([]);
  const [pin, setPin] = useState<PinState>(null);
  const [message, setMessage] = useState('');
  const [outgoing, setOutgoing] = useState<PreparedFile[]>([]);
  const [uploading, setUploading] = useState<{ sent: number; total: number } | null>(null);
  const [outcome, setOutcome] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState('');
  const [version, setVersion] = useState(0);
  const [packing, setPacking] = useState<PackRequest | null>(null);

  async function load() {
    const found = await api<CaseDetail>('GET', `/api/cases/${id}`);
    setDetail(found);
    if (!found.teamKey.grant) return setContent('locked');
    const team = await teamKeyFromGrant(found.teamKey.grant, keys, found.teamKey.publicKey);
    if (!team) return setContent('failed');
    setTeamPair(team);
    // A team key from before signatures: publish its verify key, so new reports can pin it (§28.6).
    if (found.teamKey.verifyKey === null) await publishVerifyKey(found.teamId, found.teamKey.kid, team).catch(() => undefined);
    const report = await openReport(found, team);
    setContent(report ?? 'failed');
    // What the reporter's phone will check my messages against (§28.5).
    const mine = await ownTeamVerifyKey(team);
    setPin(found.reporterSigningKey === null ? 'legacy' : found.teamVerifyKey === null ? 'none' : found.teamVerifyKey === mine ? 'match' : 'mismatch');
    const sealedNotes = await api<CaseNote[]>('GET', `/api/cases/${id}/notes`);
    setNotes(await Promise.all(sealedNotes.map(async (n) => ({ ...n, text: (await openNote(id, n.envelope, team))?.text ?? null }))));
    const sealedMessages = await api<DeskMessage[]>('GET', `/api/cases/${id}/messages`);
    setMessages(await Promise.all(sealedMessages.map(async (m) => ({ ...m, ...(await readCaseMessage(found, m, team, report !== null)) }))));
    const teams = await api<Team[]>('GET', '/api/teams');
    setMembers(teams.find((x) => x.id === found.teamId)?.members ?? []);
  }
  useEffect(() => { load().catch((err) => setError(errorText(err))); }, [id]);

  async function act(fn: () => Promise<unknown>) {
    setError('');
    try { await fn(); await load(); setVersion((v) => v + 1); } catch (err) { setError(errorText(err)); }
  }

  async function sendToReporter(text: string, files: PreparedFile[] = []) {
    if (files.length) {
      await uploadAll(files, (sent, total) => setUploading({ sent, total }));
      setUploading(null);
    }
    const envelope = await sealToReporter(id, text, detail!.reporterPublicKey, teamPair!, files.map((f) => f.ref));
    await api('POST', `/api/cases/${id}/messages`, { envelope, ...(files.length ? { attachments: files.map((f) => f.ref.id) } : {}) });
  }

  /** Acknowledge: the template in the reporter's language goes to them, then the status moves. */
  async function acknowledge() {
    const texts = await api<PublicTexts>('GET', `/api/public-texts/${detail!.clear.language}`);
    await sendToReporter(texts.overrides['template.acknowledge'] ?? texts.defaults['template.acknowledge']!);
    await api('POST', `/api/cases/${id}/status`, { status: 'acknowledged' });
  }

  if (!detail) return <p>{error || t('desk:working')}</p>;
  const { clear } = detail;
  // Write nothing (notes, messages) unless the report itself opened with this key: a key that
  // opens the grant but not the report is not one to seal to.
  const opened = teamPair !== null && content !== null && typeof content === 'object';
  const language = LANGUAGES.find((l) => l.code === clear.language);
  if (packing && opened) return <ReferralPack t={t} lang={lang} clear={clear} content={content} {...packing} onClose={() => setPacking(null)} />;
  const row = (label: string, value: string | undefined, attrs: Record<string, string> = {}) =>
    <div><dt>{label}</dt><dd {...attrs}>{value || '—'}</dd></div>;
  return (
    <section class="case">
      <p><button type="button" class="link" onClick={onBack}>← {t('desk:queue.title')}</button></p>
      <h1>{t(`taxonomy:category.${clear.category}`)} <span class="reference" dir="ltr">{detail.reference}</span></h1>
      <p class="meta">
        {t(`desk:status.${detail.status}`)}{detail.outcome && ` (${t(`desk:outcome.${detail.outcome}`)})`} · {t('desk:case.received')} {detail.receivedOn}
        {' · '}{t('desk:case.triageDue')} {detail.triageDue.slice(0, 16).replace('T', ' ')}
        {detail.sealedBy === 'server' && <> · <strong>{t('desk:case.sealedByServer')}</strong></>}
      </p>
      {detail.serverFollowUp && <p class="warning">{t('desk:attachments.serverFollowUp')}</p>}
      <dl class="fields">
        {row(t('desk:case.country'), clear.country === 'unknown' ? t('desk:unknown') : countryNames(lang)(String(clear.country)))}
        {row(t('desk:case.incidentMonth'), String(clear.incidentMonth))}
        {row(t('desk:case.systemType'), t(`taxonomy:systemType.${clear.systemType}`))}
        {row(t('desk:case.role'), t(`desk:reporterRole.${clear.role}`))}
        {row(t('desk:case.urgent'), clear.urgent ? t('desk:yes') : t('desk:no'))}
        {row(t('desk:case.child'), clear.child ? t('desk:yes') : t('desk:no'))}
        {row(t('desk:case.consentReferral'), clear.consentReferral ? t('desk:yes') : t('desk:no'))}
        {row(t('desk:case.consentShareData'), clear.consentShareData ? t('desk:yes') : t('desk:no'))}
        {row(t('desk:case.reporterLanguage'), language ? `${language.nativeName} (${language.code})` : String(clear.language))}
      </dl>
      <h2>{t('desk:case.report')}</h2>
      {content === 'locked' ? <p class="warning">{t('desk:case.noGrant')}</p>
        : content === 'failed' ? <p class="error" role="alert">{t('desk:case.openFailed')}</p>
        : content === null ? <p>{t('desk:working')}</p>
        : (
          <dl class="fields report" lang={String(clear.language)}>
            {row(t('desk:case.narrative'), content.narrative, { dir: 'auto', class: 'narrative' })}
            {row(t('desk:case.place'), content.place, { dir: 'auto' })}
            {row(t('desk:case.date'), content.date, { dir: 'auto' })}
            {content.name ? row(t('desk:case.name'), content.name, { dir: 'auto' }) : null}
            {row(t('desk:case.contact'), `${t(`desk:contactMethod.${content.contact.method}`)}${content.contact.value ? `: ${content.contact.value}` : ''}`, { dir: 'auto' })}
            {row(t('desk:case.imminentRisk'), content.imminentRisk ? t('desk:yes') : t('desk:no'))}
          </dl>
        )}
      {content !== null && typeof content === 'object' && <CaseFiles t={t} lang={lang} caseId={id} files={content.attachments} />}
      <h2>{t('desk:case.actions')}</h2>
      <div class="actions">
        {opened && TRANSITIONS[detail.status].includes('acknowledged') && (
          <button type="button" class="primary" onClick={() => void act(acknowledge)}>{t('desk:case.acknowledge')}</button>
        )}
        {detail.status !== 'closed' && TRANSITIONS[detail.status].filter((s) => s !== 'closed' && s !== 'acknowledged').map((s) => (
          <button type="button" key={s} data-status={s} onClick={() => void act(() => api('POST', `/api/cases/${id}/status`, { status: s }))}>{t('desk:case.moveTo', { status: t(`desk:status.${s}`) })}</button>
        ))}
        {TRANSITIONS[detail.status].includes('closed') && (
          <span class="close">
            <label for="outcome">{t('desk:case.outcome')}</label>
            <select id="outcome" value={outcome} onChange={(e) => setOutcome(e.currentTarget.value)}>
              <option value="">—</option>
              {CLOSE_OUTCOMES.map((o) => <option key={o} value={o}>{t(`desk:outcome.${o}`)}</option>)}
            </select>
            <button type="button" disabled={!outcome} onClick={() => void act(() => api('POST', `/api/cases/${id}/status`, { status: 'closed', outcome }))}>{t('desk:case.close')}</button>
          </span>
        )}
        {detail.status === 'closed' && (
          <span class="close">
            <label for="reopen-reason">{t('desk:remedy.reopen.reason')}</label>
            <select id="reopen-reason" value={reason} onChange={(e) => setReason(e.currentTarget.value)}>
              <option value="">—</option>
              {REOPEN_REASONS.map((r) => <option key={r} value={r}>{t(`desk:remedy.reopen.reasons.${r}`)}</option>)}
            </select>
            <button type="button" disabled={!reason} onClick={() => void act(async () => { await api('POST', `/api/cases/${id}/status`, { status: 'in_progress', reason }); setReason(''); })}>{t('desk:remedy.reopen.button')}</button>
          </span>
        )}
      </div>
      <p>
        <label for="assignee">{t('desk:case.assignee')}</label>{' '}
        <select id="assignee" value={detail.assigneeId ?? ''} onChange={(e) => void act(() => api('POST', `/api/cases/${id}/assign`, { assigneeId: e.currentTarget.value || null }))}>
          <option value="">{t('desk:queue.unassigned')}</option>
          {members.map((m) => <option key={m.id} value={m.id}>{m.id === me.id ? `${m.email} (${t('desk:me')})` : m.email}</option>)}
        </select>
      </p>
      {error && <p class="error" role="alert">{error}</p>}
      <h2>{t('desk:case.messages')}</h2>
      <PinNotice t={t} state={pin} />
      <CaseMessages t={t} lang={lang} caseId={id} messages={messages} reporterLanguage={String(clear.language)} />
      {opened && (
        <form onSubmit={(e) => { e.preventDefault(); void act(async () => { await sendToReporter(message, outgoing); setMessage(''); setOutgoing([]); }); }}>
          <label for="message">{t('desk:case.writeToReporter', { language: language?.nativeName ?? clear.language })}</label>
          <textarea id="message" rows={4} value={message} onInput={(e) => setMessage(e.currentTarget.value)} required />
          <p class="hint">{t('desk:case.messageHint')}</p>
          <OutgoingFiles t={t} lang={lang} files={outgoing} onChange={setOutgoing} />
          {uploading && <p class="meta" role="status">{t('desk:attachments.uploading', { sent: formatBytes(lang, uploading.sent), total: formatBytes(lang, uploading.total) })}</p>}
          <button type="submit">{t('desk:case.sendMessage')}</button>
        </form>
      )}
      <RemedyPanel key={`${id}-${version}`} t={t} caseId={id} content={opened ? content : null}
        onChanged={() => void load().catch((err) => setError(errorText(err)))} onPack={setPacking} />
      <h2>{t('desk:case.notes')}</h2>
      <ul class="notes">
        {notes.map((n) => <li key={n.id}><span class="meta">{n.createdAt.slice(0, 16).replace('T', ' ')} · {members.find((m) => m.id === n.authorId)?.email ?? n.authorId}</span><p dir="auto">{n.text ?? t('desk:case.openFailed')}</p></li>)}
      </ul>
      {opened && (
        <form onSubmit={(e) => { e.preventDefault(); void act(async () => { await api('POST', `/api/cases/${id}/notes`, { envelope: await sealNote(id, note, detail.teamKey.publicKey) }); setNote(''); }); }}>
          <label for="note">{t('desk:case.addNote')}</label>
          <textarea id="note" rows={3} value={note} onInput={(e) => setNote(e.currentTarget.value)} required />
          <p class="hint">{t('desk:case.noteHint')}</p>
          <button type="submit">{t('desk:case.saveNote')}</button>
        </form>
      )}
    </section>
  );
}
