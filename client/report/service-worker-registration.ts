// Registers the public pages' service worker (PROTOCOL.md §25.4) once the page is idle: it fetches
// the scripts, libsodium included, in its own thread, so the page later finds them in its cache.
// It also tells the worker the language in use, to keep both public pages in it for offline use.
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
