// Compression of response bodies: brotli and gzip made once for bodies sent many times (locale
// bundles), or on the fly for pages, in the best encoding the browser accepts.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** Brotli and gzip forms of a body, for responses sent many times (compress once). */
export interface Compressed { raw: Buffer; br: Buffer; gz: Buffer }

export function compressOnce(text: string): Compressed {
  const raw = Buffer.from(text, 'utf8');
  // On first use, not at start: the locale bundles at brotli 11 were a third of the start-up time.
  let br: Buffer | undefined;
  let gz: Buffer | undefined;
  return {
    raw,
    get br() { return (br ??= brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } })); },
    get gz() { return (gz ??= gzipSync(raw, { level: 9 })); },
  };
}

/** Sends a body in the best encoding the browser accepts (compressing now unless given both forms). */
export function sendCompressed(req: FastifyRequest, reply: FastifyReply, body: string | Compressed, type: string, status = 200) {
  const accepts = String(req.headers['accept-encoding'] ?? '');
  reply.code(status).type(type).header('vary', 'accept-encoding');
  const quick = { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } };
  if (/\bbr\b/.test(accepts)) {
    return reply.header('content-encoding', 'br').send(typeof body === 'string' ? brotliCompressSync(body, quick) : body.br);
  }
  if (/\bgzip\b/.test(accepts)) {
    return reply.header('content-encoding', 'gzip').send(typeof body === 'string' ? gzipSync(body) : body.gz);
  }
  return reply.send(typeof body === 'string' ? body : body.raw);
}

