// Security headers on every response: a strict CSP (own origin only, plus the WebAssembly that
// libsodium needs, and blob: images and audio for files decrypted in the page), no referrer, no
// framing, no caching unless a route says otherwise; the microphone for this origin only (voice notes).
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

export default fp(async function securityHeaders(app) {
  app.addHook('onSend', async (_req, reply) => {
    reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('cross-origin-opener-policy', 'same-origin');
    reply.header('cross-origin-resource-policy', 'same-origin');
    reply.header('permissions-policy', 'camera=(), microphone=(self), geolocation=(), payment=(), usb=(), browsing-topics=()');
    if (app.config.tls) reply.header('strict-transport-security', 'max-age=63072000; includeSubDomains');
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
  });
}, { name: 'security-headers' });
