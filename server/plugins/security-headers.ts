// Security headers on every response: a strict CSP (own origin only, plus the WebAssembly that
// libsodium needs, and blob: images and audio for files decrypted in the page), no referrer, no
// framing, no caching unless a route says otherwise; the microphone for this origin only (voice
// notes). The same list goes on the answers written straight to the socket (plugins/connections.ts).
import fp from 'fastify-plugin';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  // Previews of cleaned photos and files decrypted in the browser are blob: URLs made by our own code.
  "img-src 'self' blob:",
  "media-src blob:",
  // The public pages' service worker (/sw.js, PROTOCOL.md §25.4).
  "worker-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Every response's security headers (HSTS only over TLS). */
export function securityHeaders(tls: boolean): [string, string][] {
  return [
    ['content-security-policy', CONTENT_SECURITY_POLICY],
    ['referrer-policy', 'no-referrer'],
    ['x-content-type-options', 'nosniff'],
    ['x-frame-options', 'DENY'],
    ['cross-origin-opener-policy', 'same-origin'],
    ['cross-origin-resource-policy', 'same-origin'],
    ['permissions-policy', 'camera=(), microphone=(self), geolocation=(), payment=(), usb=(), browsing-topics=()'],
    ...(tls ? [['strict-transport-security', 'max-age=63072000; includeSubDomains'] as [string, string]] : []),
  ];
}

export default fp(async function securityHeadersPlugin(app) {
  const headers = securityHeaders(app.config.tls);
  app.addHook('onSend', async (_req, reply) => {
    for (const [name, value] of headers) reply.header(name, value);
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
  });
}, { name: 'security-headers' });
