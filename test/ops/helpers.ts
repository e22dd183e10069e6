// Shared by the operations tests: the CLI as a real process, reports sealed the browser's way
// but without the receipt's Argon2id (the server cannot tell; it makes hundreds affordable), and
// every case of a database opened with the recovery key.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { splitReport } from '../../protocol/report-form.ts';
import type { Intake, ReportContent, SubmitReport } from '../../protocol/api.ts';
import { fromBase64Url, toBase64Url } from '../../protocol/encoding.ts';
import { AD_LABEL, keyId, openEnvelope, reportBindingV2, sealEnvelope, type KeyPair } from '../../protocol/envelope.ts';
import { generateKeyPair } from '../../protocol/keys.ts';
import { makePin } from '../../protocol/pin.ts';
import { sodiumReady } from '../../protocol/sodium.ts';
import { routeReport } from '../../protocol/routing.ts';
import { caseBinding } from '../../server/services/cases.ts';
import * as schema from '../../db/schema.ts';
import { validForm } from '../fixtures/report.ts';

const run = promisify(execFile);

export interface CliResult { code: number; stdout: string; stderr: string }

/** `npm run cli -- …` as an operator runs it: the compiled CLI (npm test builds it first), as its own process. */
export function cli(args: string[], dataDir: string, options: { uid?: number; gid?: number } = {}): Promise<CliResult> {
  if (!existsSync('dist/node/server/cli.js')) throw new Error('run `npm run build` before the tests (npm test does)');
  return run(process.execPath, ['dist/node/server/cli.js', ...args], { env: { ...process.env, DATA_DIR: dataDir }, ...options })
    .then((r) => ({ code: 0, ...r }), (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }));
}

/** A report body as the browser would send it, with a random reporter key instead of a receipt-derived one. */
export async function quickSubmission(intake: Pick<Intake, 'routing' | 'recovery'>, narrative: string): Promise<SubmitReport> {
  const { clear, content } = splitReport(validForm({ narrative }), 'en');
  const recipients: Uint8Array[] = [];
  const team = routeReport(clear, intake.routing);
  for (const published of [team, intake.recovery]) {
    const bytes = fromBase64Url(published.publicKey)!;
    if ((await keyId(bytes)) !== published.kid) throw new Error('published key does not match its kid');
    recipients.push(bytes);
  }
  const reporter = await generateKeyPair();
  const reporterPublicKey = toBase64Url(reporter.publicKey);
  // Report v2 (PROTOCOL.md §28): a signing key and a pin key, random here instead of receipt-derived.
  const signingKey = toBase64Url((await sodiumReady()).crypto_sign_keypair().publicKey);
  const teamVerifyKey = team.verifyKey ?? null;
  const envelope = await sealEnvelope(AD_LABEL.report, reportBindingV2(clear, { reporterPublicKey, reporterSigningKey: signingKey, teamVerifyKey }), content, recipients);
  const pin = await makePin(randomBytes(32), { team: team.publicKey, recovery: intake.recovery.publicKey, teamVerifyKey });
  return { clear, envelope, reporter: { authToken: toBase64Url(randomBytes(32)), publicKey: reporterPublicKey, signingKey, teamVerifyKey, pin } };
}

/** Every case's narrative, opened with the recovery key; null for a case that does not open. */
export async function openEveryCase(dbPath: string, recovery: KeyPair): Promise<(string | null)[]> {
  const sqlite = new Database(dbPath, { readonly: true });
  try {
    const rows = drizzle(sqlite, { schema }).select().from(schema.cases).all();
    const narratives: (string | null)[] = [];
    for (const row of rows) {
      const content = await openEnvelope<ReportContent>(AD_LABEL.report, caseBinding(row), row.envelope, recovery);
      narratives.push(content?.narrative ?? null);
    }
    return narratives;
  } finally {
    sqlite.close();
  }
}
