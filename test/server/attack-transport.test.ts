// Connections under attack, on a real socket (PROTOCOL.md §34.1, §34.3): a client trickling a
// request body is cut off by the request timeout; one client cannot hold more connections than the
// cap; Node's parser errors are answered with a code and the security headers; a no-JavaScript
// post announcing or streaming more than the limit gets 413 without being read to the end.
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestApp } from '../helpers/app.ts';

let server: TestApp & { base: string };
let port: number;
beforeAll(async () => {
  // Timeouts short enough for a test; the defaults (30 s, 10 s) are the same code path.
  server = await startTestServer({ config: { requestTimeoutMs: 1000, headersTimeoutMs: 1000, maxConnectionsPerClient: 4 } });
  port = Number(new URL(server.base).port);
});
afterAll(async () => { await server.close(); });

function open(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1' }, () => resolve(socket));
    socket.on('error', reject);
  });
}

/** Everything the server writes until it closes the connection. */
function untilClosed(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    socket.on('data', (chunk) => { text += chunk.toString('latin1'); });
    socket.on('error', () => {});
    socket.on('close', () => resolve(text));
  });
}

describe('connections under attack', () => {
  it('closes a connection whose body trickles in slower than the request timeout', async () => {
    const socket = await open();
    const closed = untilClosed(socket);
    socket.write('POST /api/reports HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{');
    // One byte at a time, forever: only the request timeout ends this.
    const drip = setInterval(() => { if (!socket.destroyed) socket.write(' '); }, 100);
    const answer = await closed;
    clearInterval(drip);
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(answer).toContain('"code":"request_timeout"');
    expect(server.logs.join('')).not.toContain('request failed');
  });

  it('refuses a client more connections than the cap, and takes new ones once it lets go', async () => {
    const held = await Promise.all(Array.from({ length: 4 }, () => open()));
    const extra = await open();
    expect(await untilClosed(extra)).toBe(''); // closed at once, nothing said
    for (const socket of held) socket.destroy();
    // The server counts a connection gone when it sees it close: try until it has.
    let status = 0;
    for (let i = 0; i < 50 && status !== 200; i++) {
      // A connection the server refuses at once can leave fetch waiting for ever: bound each try.
      status = await fetch(`${server.base}/healthz`, { signal: AbortSignal.timeout(1000) }).then((r) => r.status, () => 0);
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(status).toBe(200);
  });

  it("answers Node's parser errors with a stable code and the security headers", async () => {
    for (const [request, status, code] of [
      ['GARBAGE\r\n\r\n', 400, 'bad_request'],
      [`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431, 'headers_too_large'],
    ] as const) {
      const socket = await open();
      const closed = untilClosed(socket);
      socket.write(request);
      const answer = await closed;
      expect(answer).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
      expect(answer).toContain(`"code":"${code}"`);
      expect(answer.toLowerCase()).toContain("content-security-policy: default-src 'none'");
      expect(answer.toLowerCase()).toContain('x-content-type-options: nosniff');
    }
  });

  it('answers a no-JavaScript post over the limit with 413 before reading it, or as soon as it passes the limit', async () => {
    // Announced: 200 MiB. The answer comes without a byte of body sent, and the connection closes.
    const announced = await open();
    const closedEarly = untilClosed(announced);
    announced.write(`POST /report HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: ${200 * 1024 * 1024}\r\n\r\n`);
    const early = await closedEarly;
    expect(early).toMatch(/^HTTP\/1\.1 413 /);
    expect(early).toContain('"code":"body_too_large"');

    // Not announced (chunked): reading stops once the limit is passed.
    const streamed = await open();
    const closedLater = untilClosed(streamed);
    streamed.write('POST /report HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\nTransfer-Encoding: chunked\r\n\r\n');
    const part = '--b\r\nContent-Disposition: form-data; name="narrative"\r\n\r\n';
    const chunk = (text: string) => `${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`;
    streamed.write(chunk(part));
    let sent = 0;
    while (sent < 400 * 1024 && !streamed.destroyed) {
      streamed.write(chunk('x'.repeat(16 * 1024)));
      sent += 16 * 1024;
      await new Promise((resolve) => setImmediate(resolve));
    }
    const late = await closedLater;
    expect(late).toMatch(/^HTTP\/1\.1 413 /);
    expect(server.logs.join('')).not.toContain('request failed');
  });
});
