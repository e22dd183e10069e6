// One delivery loop per page, whoever asks first; components subscribe to what it reports.
import type { DeliveryEvent } from './deliver.ts';
import { startDelivery, type DeliveryLoop } from './delivery-loop.ts';
import { keepStorage } from './outbox.ts';

export type DeliveryNews = DeliveryEvent | { type: 'waiting'; waiting: boolean };
const listeners = new Set<(news: DeliveryNews) => void>();
let loop: DeliveryLoop | undefined;

const tell = (news: DeliveryNews) => listeners.forEach((listener) => listener(news));

export function subscribe(listener: (news: DeliveryNews) => void): () => void {
  listeners.add(listener);
  loop ??= startDelivery(tell, (waiting) => tell({ type: 'waiting', waiting }));
  return () => listeners.delete(listener);
}

/** A record was just saved: deliver now. */
export function deliverSoon(): void {
  keepStorage();
  if (loop) loop.nudge();
  else loop = startDelivery(tell, (waiting) => tell({ type: 'waiting', waiting }));
}
