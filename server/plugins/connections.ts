// Connections under attack (PROTOCOL.md §34.1): a request must arrive whole within the request
// timeout (a client trickling a body cannot hold a connection open), headers within theirs, idle
// keep-alive connections close; one client may hold only so many connections at once; and every
// error Node's HTTP parser raises is answered in the API's JSON error format with the security
// headers of every response, then the connection closed.
import type { Socket } from 'node:net';
import { STATUS_CODES, type ServerOptions } from 'node:http';
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import type { Config } from '../config.ts';
import { clientKey } from '../services/client-address.ts';
import { anonymousClientKey } from './rate-limit.ts';
import { securityHeaders } from './security-headers.ts';

/** How often Node checks for requests past their timeout: a timeout is enforced within this much. */
const CHECK_INTERVAL_MS = 1000;
/** A socket with no traffic at all is closed after this long (a slow trickle is the request timeout's). */
const SOCKET_IDLE_MS = 60_000;

/** The Fastify options that carry the timeouts and the parser-error answer. */
export function connectionOptions(config: Config): Pick<FastifyServerOptions, 'requestTimeout' | 'keepAliveTimeout' | 'connectionTimeout' | 'clientErrorHandler'> & { http: ServerOptions } {
  return {
    requestTimeout: config.requestTimeoutMs,
    keepAliveTimeout: config.keepAliveTimeoutMs,
    connectionTimeout: SOCKET_IDLE_MS,
    http: { requestTimeout: config.requestTimeoutMs, headersTimeout: config.headersTimeoutMs, connectionsCheckingInterval: CHECK_INTERVAL_MS },
    clientErrorHandler,
  };
}

const PARSER_CODES: Record<string, [number, string]> = {
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'request_timeout'],
  HPE_HEADER_OVERFLOW: [431, 'headers_too_large'],
};

/** Answers what Node's parser refused, as the API would, and closes the connection. */
function clientErrorHandler(this: FastifyInstance, err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code] = PARSER_CODES[err.code ?? ''] ?? [400, 'bad_request'];
  if (socket.writable) {
    const message = this.locales?.get('en').t(`errors:${code}`) ?? code;
    const body = JSON.stringify({ statusCode: status, code, message });
    const headers = [
      ...securityHeaders(this.config.tls), ['cache-control', 'no-store'], ['content-type', 'application/json; charset=utf-8'],
      ['content-length', String(Buffer.byteLength(body))], ['connection', 'close'],
    ].map(([name, value]) => `${name}: ${value}`).join('\r\n');
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${headers}\r\n\r\n${body}`);
  }
  socket.destroy(err);
}

export default fp(async function connections(app) {
  const cap = app.config.maxConnectionsPerClient;
  // Behind a trusted proxy every connection comes from the proxy: the proxy must limit them.
  if (!cap || app.config.trustProxy) return;
  const open = app.state.connections;
  app.server.on('connection', (socket: Socket) => {
    const key = anonymousClientKey(app.state.keys.clientAddress, clientKey(socket.remoteAddress));
    const count = (open.get(key) ?? 0) + 1;
    if (count > cap) {
      socket.destroy();
      return;
    }
    open.set(key, count);
    socket.once('close', () => {
      const left = (open.get(key) ?? 1) - 1;
      if (left > 0) open.set(key, left);
      else open.delete(key);
    });
  });
}, { name: 'connections', dependencies: ['state'] });
