// Guards of the no-JavaScript routes (PROTOCOL.md §34.3): refuse posts from other sites before the
// body is read, refuse bodies over the limit early (Content-Length) or at the limit (streamed),
// read multipart text fields with every parser failure mapped to a stable 400 or 413 (never a 500,
// never a log line, never a silently cut value), and sign the form ids so only a form this server
// rendered in the last day can be filed, once.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';

/** The largest no-JavaScript form body: the longest narrative (20,000 characters) fits with room. */
export const FORM_BODY_LIMIT = 128 * 1024;
const FORM_ID_HOURS = 24;
const LIMIT_ERRORS = new Set(['FST_PARTS_LIMIT', 'FST_FILES_LIMIT', 'FST_FIELDS_LIMIT', 'FST_REQ_FILE_TOO_LARGE']);

/**
 * A form posted by another site's page (so by a visitor who never chose to report) is refused:
 * judged by Sec-Fetch-Site where the browser sends it, otherwise by an Origin naming another host.
 */
export function refuseCrossSite(req: FastifyRequest): void {
  const site = req.headers['sec-fetch-site'];
  if (typeof site === 'string') {
    if (site !== 'same-origin') throw new AppError(403, 'cross_site');
    return;
  }
  const origin = req.headers.origin;
  if (!origin || origin === 'null') return;
  let host = '';
  try { host = new URL(origin).host; } catch { /* not a URL: refused below */ }
  if (!host || host !== req.headers.host) throw new AppError(403, 'cross_site');
}

/** onRequest of the no-JavaScript posts: cross-site and oversized bodies go before a byte is read. */
export async function guardFormPost(req: FastifyRequest, reply: FastifyReply): Promise<void> {
  refuseCrossSite(req);
  const length = Number(req.headers['content-length'] ?? 0);
  if (length > FORM_BODY_LIMIT) {
    // The rest of the body is not wanted: close the connection rather than read it.
    reply.header('connection', 'close');
    throw new AppError(413, 'body_too_large');
  }
}

/** The text fields of a multipart form; stops reading at the limit. */
export async function readFormFields(req: FastifyRequest, reply: FastifyReply): Promise<Map<string, string>> {
  if (!req.isMultipart()) throw new AppError(415, 'unsupported_media_type');
  let received = 0;
  let stop: (err: AppError) => void = () => {};
  const overflow = new Promise<never>((_, reject) => { stop = reject; });
  const count = (chunk: Buffer) => {
    received += chunk.length;
    if (received <= FORM_BODY_LIMIT) return;
    req.raw.off('data', count);
    req.raw.unpipe();
    req.raw.pause();
    reply.header('connection', 'close');
    stop(new AppError(413, 'body_too_large'));
  };
  req.raw.on('data', count);
  const collect = async () => {
    const fields = new Map<string, string>();
    for await (const part of req.parts()) {
      if (part.type !== 'field') throw new AppError(413, 'body_too_large');
      if (part.valueTruncated || part.fieldnameTruncated) throw new AppError(413, 'body_too_large');
      fields.set(part.fieldname, String(part.value));
    }
    return fields;
  };
  try {
    return await Promise.race([collect(), overflow]);
  } catch (err) {
    if (err instanceof AppError) throw err;
    const code = (err as { code?: string }).code;
    if (code && LIMIT_ERRORS.has(code)) throw new AppError(413, 'body_too_large');
    // No boundary, a wrong one, a truncated or garbled body: what busboy throws is the client's fault.
    throw new AppError(400, 'malformed_form');
  } finally {
    req.raw.off('data', count);
  }
}

const hourOf = (now: number) => Math.floor(now / 3_600_000);

function tagOf(key: Buffer, body: Buffer): Buffer {
  return createHmac('sha256', key).update(body).digest().subarray(0, 16);
}

/** b64u(random[16] ‖ hour[4, big-endian] ‖ HMAC-SHA-256(key, random ‖ hour)[0..16]), 48 characters. */
export function issueFormId(key: Buffer, now = Date.now()): string {
  const body = Buffer.alloc(20);
  randomBytes(16).copy(body);
  body.writeUInt32BE(hourOf(now), 16);
  return Buffer.concat([body, tagOf(key, body)]).toString('base64url');
}

/** True for an id this process signed within the last 24 hours. */
export function checkFormId(key: Buffer, id: string | undefined, now = Date.now()): boolean {
  if (!id || !/^[A-Za-z0-9_-]{48}$/.test(id)) return false;
  const bytes = Buffer.from(id, 'base64url');
  if (bytes.length !== 36) return false;
  const body = bytes.subarray(0, 20);
  if (!timingSafeEqual(tagOf(key, body), bytes.subarray(20))) return false;
  const age = hourOf(now) - body.readUInt32BE(16);
  return age >= 0 && age <= FORM_ID_HOURS;
}
