// The service worker (PROTOCOL.md §25.4): keeps the public form, the follow-up page (in each
// language used) and their scripts, libsodium included, so they open without a network; and
// delivers the outbox when the browser fires Background Sync, also after the tab was closed.
// It never touches API calls, posts or the desk. The server prepends the build's version and asset
// list (self.REDRESS) when it serves /sw.js.
import { SYNC_TAG, deliverAll } from '../evidence/deliver.ts';

// The few service-worker types used here, declared locally: the project is type-checked with the
// DOM library, which cannot be combined with the WebWorker one.
interface ExtendableEvent extends Event { waitUntil(work: Promise<unknown>): void }
interface FetchEvent extends ExtendableEvent { request: Request; respondWith(response: Promise<Response>): void }
interface ExtendableMessageEvent extends ExtendableEvent { data: unknown }
interface SyncEvent extends ExtendableEvent { tag: string }
interface WorkerScope {
  REDRESS: { version: string; assets: string[] };
  location: Location;
  clients: { claim(): Promise<void> };
  skipWaiting(): Promise<void>;
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;
  addEventListener(type: 'message', listener: (event: ExtendableMessageEvent) => void): void;
  addEventListener(type: 'sync', listener: (event: SyncEvent) => void): void;
}
declare const self: WorkerScope;

const { version, assets } = self.REDRESS;
const CACHE = `redress-${version}`;
const PAGES = new Set(['/', '/follow-up']);
/** Where the last language used is kept (a tiny response in the cache, not a page). */
const LAST_LANGUAGE = '/__redress/last-language';

self.addEventListener('install', (event) => {
  // One by one: a file that fails (say, a dropped connection) must not cancel the others.
  event.waitUntil(caches.open(CACHE)
    .then((cache) => Promise.all(assets.map((url) => cache.add(url).catch(() => undefined))))
    .then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith('redress-') && k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

const pageKey = (path: string, lang: string) => `${path}?lang=${lang}`;
/** /locales/xx.<hash>.json, desk-xx.<hash>.json, evidence-xx.<hash>.json: never change at their address. */
const CONTENT_ADDRESSED_LOCALE = /^\/locales\/(?:[a-z]+-)?[a-z]{2,3}\.[0-9a-f]{12}\.json$/;

/** A page tells the worker its language: keep both public pages in it, and remember the choice. */
self.addEventListener('message', (event) => {
  const { type, lang, urls = [] } = (event.data ?? {}) as { type?: string; lang?: string; urls?: string[] };
  if (type !== 'remember' || !lang || !/^[a-z]{2,3}$/.test(lang)) return;
  event.waitUntil(caches.open(CACHE).then(async (cache) => {
    await cache.put(LAST_LANGUAGE, new Response(lang));
    // The language's lazily fetched texts (content-addressed, so they never go stale).
    await Promise.all(urls.filter((u) => CONTENT_ADDRESSED_LOCALE.test(u)).map((u) => cache.add(u).catch(() => undefined)));
    await Promise.all([...PAGES].map(async (path) => {
      if (await cache.match(pageKey(path, lang))) return;
      const response = await fetch(pageKey(path, lang), { credentials: 'same-origin' }).catch(() => null);
      if (response?.ok) await cache.put(pageKey(path, lang), response);
    }));
  }));
});

async function page(request: Request, url: URL): Promise<Response> {
  const cache = await caches.open(CACHE);
  const lang = url.searchParams.get('lang') ?? (await (await cache.match(LAST_LANGUAGE))?.text());
  const onlyLang = [...url.searchParams.keys()].every((k) => k === 'lang');
  const cached = lang && onlyLang ? await cache.match(pageKey(url.pathname, lang)) : undefined;
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok && lang && onlyLang && url.searchParams.has('lang')) await cache.put(pageKey(url.pathname, lang), response.clone());
  return response;
}

async function immutable(request: Request): Promise<Response> {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate' && PAGES.has(url.pathname)) event.respondWith(page(request, url));
  // Only content-addressed files: the remedy texts (/locales/remedy-xx.json) live at a fixed
  // address, revalidated by ETag, and are only of use with a network (a case is open), so they are left alone.
  else if (url.pathname.startsWith('/assets/') || CONTENT_ADDRESSED_LOCALE.test(url.pathname)) event.respondWith(immutable(request));
});

/** Background Sync: a round of delivery; failing it asks the browser to try again later. */
self.addEventListener('sync', (event) => {
  if (event.tag !== SYNC_TAG) return;
  event.waitUntil(deliverAll().then((result) => {
    if (result === 'retry') throw new Error('still offline');
  }));
});
