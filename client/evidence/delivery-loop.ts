// The page's side of delivery (PROTOCOL.md §25.3): a round now, then with backoff (2 s doubling to
// 5 min) while the network is away, at once when the browser says it is back, and Background Sync
// so the service worker finishes the job after the tab is closed.
import { CHANNEL, SYNC_TAG, deliverAll, type DeliveryEvent } from './deliver.ts';

const FIRST_DELAY = 2000;
const LONGEST_DELAY = 5 * 60_000;

function requestBackgroundSync(): void {
  const worker = navigator.serviceWorker;
  if (!worker) return;
  void worker.ready
    .then((registration) => (registration as ServiceWorkerRegistration & { sync?: { register(tag: string): Promise<void> } }).sync?.register(SYNC_TAG))
    .catch(() => undefined);
}

export interface DeliveryLoop { stop(): void; nudge(): void }

/** Starts delivering; `onEvent` hears progress, and deliveries and refusals from any context. */
export function startDelivery(onEvent: (event: DeliveryEvent) => void, onWaiting: (waiting: boolean) => void): DeliveryLoop {
  let delay = FIRST_DELAY;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  let channel: BroadcastChannel | undefined;
  try {
    channel = new BroadcastChannel(CHANNEL);
    channel.onmessage = (message: MessageEvent<DeliveryEvent>) => onEvent(message.data);
  } catch { /* events come through onEvent directly */ }

  let running = false;
  let again = false;
  async function attempt() {
    clearTimeout(timer);
    if (running) { again = true; return; }
    running = true;
    // The browser saying it went offline stops the round at once (a dropped 2G link may not close).
    const stop = new AbortController();
    const offline = () => stop.abort();
    window.addEventListener('offline', offline);
    const result = await deliverAll(onEvent, stop.signal).catch(() => 'retry' as const);
    window.removeEventListener('offline', offline);
    running = false;
    if (stopped) return;
    if (again) { again = false; void attempt(); return; }
    onWaiting(result !== 'done');
    if (result === 'done') { delay = FIRST_DELAY; return; }
    if (result === 'retry') requestBackgroundSync();
    timer = setTimeout(() => void attempt(), delay);
    delay = Math.min(delay * 2, LONGEST_DELAY);
  }
  const online = () => { delay = FIRST_DELAY; void attempt(); };
  window.addEventListener('online', online);
  void attempt();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
      window.removeEventListener('online', online);
      channel?.close();
    },
    nudge: online,
  };
}
