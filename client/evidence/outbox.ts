// The outbox on the phone (PROTOCOL.md §25.2): reports waiting to be delivered, in IndexedDB, as
// ciphertext only: the body sealed to the server's outbox key and the encrypted files. Shared by
// the page and the service worker. Where IndexedDB is unavailable, the page keeps them in memory.

/** `created`: the server has been asked to create this upload (resume with HEAD). */
export interface OutboxFile { id: string; size: number; blob: Blob; created?: boolean }
export interface OutboxRecord {
  id: string;
  /** PROTOCOL.md §25.1: the submission body, sealed to the outbox key. */
  sealed: string;
  /** The page's language, for the server's answers. */
  lang: string;
  files: OutboxFile[];
  /** Set once the server refused it (it will not be retried). */
  failed?: { code: string; message: string };
}

const DB_NAME = 'redress';
const STORE = 'outbox';
const memory = new Map<string, OutboxRecord>();
let opening: Promise<IDBDatabase | null> | undefined;

function database(): Promise<IDBDatabase | null> {
  opening ??= new Promise((resolve) => {
    try {
      const request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: 'id' });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => resolve(null);
    } catch {
      resolve(null);
    }
  });
  return opening;
}

function run<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  return database().then((db) => new Promise<T>((resolve, reject) => {
    if (!db) return reject(new Error('no indexedDB'));
    const tx = db.transaction(STORE, mode);
    const request = work(tx.objectStore(STORE));
    tx.oncomplete = () => resolve(request.result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  }));
}

export async function saveRecord(record: OutboxRecord): Promise<void> {
  try {
    await run('readwrite', (s) => s.put(record));
  } catch {
    memory.set(record.id, record);
  }
}

/** Whether the database exists, without creating it (opening it would leave a trace of a visit). */
async function exists(): Promise<boolean> {
  if (opening || typeof indexedDB === 'undefined') return Boolean(opening);
  if (!indexedDB.databases) return true;
  return (await indexedDB.databases().catch(() => [{ name: DB_NAME }])).some((d) => d.name === DB_NAME);
}

export async function listRecords(): Promise<OutboxRecord[]> {
  const stored = (await exists()) ? await run<OutboxRecord[]>('readonly', (s) => s.getAll()).catch(() => []) : [];
  return [...stored, ...memory.values()];
}

export async function removeRecord(id: string): Promise<void> {
  memory.delete(id);
  await run('readwrite', (s) => s.delete(id)).catch(() => undefined);
}

/** Asks the browser not to evict the outbox under storage pressure (best effort). */
export function keepStorage(): void {
  void navigator.storage?.persist?.().catch(() => false);
}
