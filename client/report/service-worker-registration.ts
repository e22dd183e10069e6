// Registers the public pages' service worker (PROTOCOL.md §25.4) once libsodium has loaded (so the
// worker finds it in the HTTP cache instead of fetching it again), and tells it the language in
// use so it keeps both public pages in that language for offline use.
/** The language's own files the pages may fetch later (its evidence texts), kept with its pages. */
let filesOf: (lang: string) => string[] = () => [];

export function rememberLanguage(lang: string): void {
  navigator.serviceWorker?.controller?.postMessage({ type: 'remember', lang, urls: filesOf(lang) });
}

export function registerServiceWorker(lang: string, files: (lang: string) => string[] = () => []): void {
  const workers = navigator.serviceWorker;
  if (!workers) return;
  filesOf = files;
  workers.register('/sw.js')
    .then(() => workers.ready)
    .then((registration) => registration.active?.postMessage({ type: 'remember', lang, urls: files(lang) }))
    .catch(() => undefined);
}
