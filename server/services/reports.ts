// Accepting a report: recompute the route, check the envelope (v2) is sealed to exactly the routed
// team's key and the recovery key and that the reporter bound that team's published verify key,
// then store ciphertext, clear fields and the reporter's keys and pin in one transaction.
import { randomUUID } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Conn } from '../../db/index.ts';
import { caseEvents, cases, teamKeys } from '../../db/schema.ts';
import { Value } from 'typebox/value';
import { ReportClear, type ReportAccepted, type SubmitReport } from '../../protocol/api.ts';
import { fromBase64Url } from '../../protocol/encoding.ts';
import { decodeEnvelope, sealedToExactly } from '../../protocol/envelope.ts';
import { isUsablePublicKey } from '../../protocol/keys.ts';
import { isUsableVerifyKey } from '../../protocol/signing.ts';
import { hashAuthToken } from '../../protocol/receipt.ts';
import { routeReport } from '../../protocol/routing.ts';
import { findCategory } from '../../protocol/taxonomy.ts';
import { isFutureMonth } from '../../protocol/report-form.ts';
import { AppError, notOpen } from '../errors.ts';
import { uniqueCaseReference } from './case-references.ts';
import { caseDeadlines, today } from './deadlines.ts';
import { notifyTeam } from './notifications.ts';
import { getOrganisation, routingTable } from './organisation.ts';
import { dateFiles, linkUploads } from './attachments.ts';
import type { FileStore } from './uploads.ts';

/** The two lookups of every submission, prepared once per database. */
const statements = new WeakMap<Conn, ReturnType<typeof prepareStatements>>();
function prepareStatements(db: Conn) {
  return {
    existing: db.select({ envelope: cases.envelope, receivedOn: cases.receivedOn }).from(cases)
      .where(eq(cases.receiptAuthHash, sql.placeholder('hash'))).prepare(),
    teamKey: db.select({ id: teamKeys.id, verifyKey: teamKeys.verifyKey }).from(teamKeys)
      .where(and(eq(teamKeys.kid, sql.placeholder('kid')), isNull(teamKeys.retiredAt))).prepare(),
  };
}
function prepared(db: Conn) {
  let found = statements.get(db);
  if (!found) statements.set(db, (found = prepareStatements(db)));
  return found;
}

export interface AcceptOptions {
  now?: Date;
  /** Queue notices for the team (only when mail is configured: a queued notice carries a time). */
  notify?: boolean;
  /** The encrypted-file store, to link the report's uploaded files (PROTOCOL.md §24.5). */
  files?: FileStore;
}

/** Stores a report, linking its uploaded files (PROTOCOL.md §24.5) in the same transaction. */
export async function acceptReport(
  db: Conn, report: SubmitReport, sealedBy: 'browser' | 'server', { now = new Date(), notify = false, files }: AcceptOptions = {},
): Promise<ReportAccepted> {
  const org = getOrganisation(db);
  const table = org && routingTable(db);
  if (!org || !table) throw notOpen();
  const { clear, envelope, reporter } = report;
  // The JSON route has already validated this; the no-JavaScript path arrives here from a form.
  if (!Value.Check(ReportClear, clear)) throw new AppError(400, 'invalid_request', 'clear');
  if (clear.consentShareData && !clear.consentReferral) throw new AppError(400, 'invalid_request', 'clear.consentShareData');

  if (isFutureMonth(clear.incidentMonth, now)) throw new AppError(400, 'future_date', 'clear.incidentMonth');
  const mustBeUrgent = Boolean(findCategory(clear.category)?.urgent) || clear.child;
  if (mustBeUrgent && !clear.urgent) throw new AppError(400, 'urgent_required', 'clear.urgent');

  // A page from before reports v2 (it does not pin or sign): ask for a reload rather than store a
  // case whose messages could never be verified.
  const { signingKey, teamVerifyKey, pin } = reporter;
  if (envelope.v !== 2 || signingKey === undefined || teamVerifyKey === undefined || pin === undefined) {
    throw new AppError(400, 'outdated_page', 'envelope.v');
  }
  const decoded = decodeEnvelope(envelope);
  if (!decoded || decoded.signature) throw new AppError(400, 'bad_envelope', 'envelope');
  const team = routeReport(clear, table);
  if (!sealedToExactly(decoded, [team.kid, org.recoveryKid])) throw new AppError(422, 'wrong_recipients', 'envelope.recipients');
  const token = fromBase64Url(reporter.authToken);
  if (!token || token.length !== 32 || !(await isUsablePublicKey(reporter.publicKey)) || !(await isUsableVerifyKey(signingKey)) || fromBase64Url(pin)?.length !== 32) {
    throw new AppError(400, 'invalid_request', 'reporter');
  }
  // The reporter bound (and pinned) the verify key published with the team key; a page from
  // before that key was published or rotated must reload.
  if (teamVerifyKey !== (team.verifyKey ?? null)) throw new AppError(422, 'wrong_recipients', 'reporter.teamVerifyKey');
  const receiptAuthHash = await hashAuthToken(token);
  const receivedOn = today(now);

  const queries = prepared(db);
  const attachments = report.attachments ?? [];
  const accepted = db.transaction((tx) => {
    const existing = queries.existing.get({ hash: receiptAuthHash });
    if (existing) {
      // The same report sent twice (a retry after a lost answer on a bad network) is accepted once.
      if (JSON.stringify(existing.envelope) === JSON.stringify(envelope)) return { status: 'received', receivedOn: existing.receivedOn } as const;
      throw new AppError(409, 'duplicate_receipt');
    }
    const teamKey = queries.teamKey.get({ kid: team.kid });
    if (!teamKey) throw new AppError(422, 'wrong_recipients', 'envelope.recipients');
    if (teamKey.verifyKey !== teamVerifyKey) throw new AppError(422, 'wrong_recipients', 'reporter.teamVerifyKey');
    const id = randomUUID();
    tx.insert(cases).values({
      id, teamId: team.id, teamKeyId: teamKey.id, status: 'received',
      taxonomy: clear.taxonomy, category: clear.category, systemType: clear.systemType, country: clear.country,
      language: clear.language, role: clear.role, incidentMonth: clear.incidentMonth, urgent: clear.urgent,
      child: clear.child, consentReferral: clear.consentReferral, consentShareData: clear.consentShareData,
      receivedOn, sealedBy, envelope, receiptAuthHash, reporterPublicKey: reporter.publicKey,
      reporterSigningKey: signingKey, teamVerifyKey, reporterPin: pin,
      reference: uniqueCaseReference(tx),
      ...caseDeadlines(receivedOn, clear.urgent),
    }).run();
    tx.insert(caseEvents).values({ id: randomUUID(), caseId: id, on: receivedOn, status: 'received', outcome: null }).run();
    linkUploads(tx, files, attachments, { caseId: id });
    if (notify) notifyTeam(tx, team.id, clear.urgent ? 'urgent_case' : 'new_case', now);
    // No audit entry here on purpose: its place in the chain, between timestamped caseworker
    // actions, would reveal the submission time that receivedOn deliberately coarsens.
    return { status: 'received', receivedOn } as const;
  });
  await dateFiles(files, attachments, accepted.receivedOn);
  return accepted;
}
