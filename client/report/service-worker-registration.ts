// Registers the public pages' service worker (PROTOCOL.md §24.4) once libsodium has loaded (so the
// worker finds it in the HTTP cache instead of fetching it again), and tells it the language in
// use so it keeps both public pages in that language for offline use.
export function rememberLanguage(lang: string): void {
  navigator.serviceWorker?.controller?.postMessage({ type: 'remember', lang });
}

export function registerServiceWorker(lang: string): void {
  const workers = navigator.serviceWorker;
  if (!workers) return;
  workers.register('/sw.js')
    .then(() => workers.ready)
    .then((registration) => registration.active?.postMessage({ type: 'remember', lang }))
    .catch(() => undefined);
}
