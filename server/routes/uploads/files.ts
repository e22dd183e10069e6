// Sending a stored encrypted file: opaque bytes, never cached, never sniffed (PROTOCOL.md §24.8).
import { createReadStream } from 'node:fs';
import type { FastifyReply } from 'fastify';

export const EncryptedFile = {
  description: 'The encrypted file (PROTOCOL.md §23); opened in the reader\'s browser with the key from its reference',
  content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
};

export function sendEncryptedFile(reply: FastifyReply, path: string) {
  return reply.type('application/octet-stream').header('cache-control', 'no-store').send(createReadStream(path));
}
