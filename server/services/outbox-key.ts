// The outbox key (PROTOCOL.md §25.1): the phone seals a submission body to it before keeping it
// in IndexedDB, so nothing readable waits on the phone; this opens such a body on delivery and
// checks it exactly as POST /api/reports would have.
import { Value } from 'typebox/value';
import type { Conn } from '../../db/index.ts';
import { SubmitReport, type ReportAccepted } from '../../protocol/api.ts';
import { fromBase64Url, toBase64Url, utf8 } from '../../protocol/encoding.ts';
import type { KeyPair } from '../../protocol/envelope.ts';
import { sodiumReady } from '../../protocol/sodium.ts';
import { AppError } from '../errors.ts';
import { serverSecret } from './accounts.ts';
import { acceptReport, type AcceptOptions } from './reports.ts';
import type { FileStore } from './uploads.ts';

const pairs = new WeakMap<Conn, KeyPair>();

export async function outboxKeyPair(db: Conn): Promise<KeyPair> {
  let pair = pairs.get(db);
  if (!pair) {
    const sodium = await sodiumReady();
    const privateKey = new Uint8Array(serverSecret(db, 'outbox-key'));
    pair = { privateKey, publicKey: sodium.crypto_scalarmult_base(privateKey) };
    pairs.set(db, pair);
  }
  return pair;
}

export async function outboxPublicKey(db: Conn): Promise<string> {
  return toBase64Url((await outboxKeyPair(db)).publicKey);
}

/** The submission inside a sealed outbox body: 400 bad_envelope if it does not open, invalid_request if it is not a submission. */
export async function openSealedReport(db: Conn, sealed: string): Promise<SubmitReport> {
  const sodium = await sodiumReady();
  const { publicKey, privateKey } = await outboxKeyPair(db);
  const bytes = fromBase64Url(sealed);
  let body: unknown;
  try {
    body = JSON.parse(utf8.decode(sodium.crypto_box_seal_open(bytes!, publicKey, privateKey)));
  } catch {
    throw new AppError(400, 'bad_envelope', 'sealed');
  }
  if (!Value.Check(SubmitReport, body)) {
    const first = Value.Errors(SubmitReport, body)[0];
    const path = first?.instancePath.split('/').filter(Boolean).join('.');
    throw new AppError(400, 'invalid_request', path ? `sealed.${path}` : 'sealed');
  }
  return body;
}

/** POST /api/reports/sealed: open, then exactly what POST /api/reports does. */
export async function acceptSealedReport(db: Conn, sealed: string, options: AcceptOptions & { files: FileStore }): Promise<ReportAccepted> {
  return acceptReport(db, await openSealedReport(db, sealed), 'browser', options);
}
