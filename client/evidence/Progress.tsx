// Bytes sent, the total and the time left, in the page's language. Time left comes from the rate
// over the last half minute, so it follows a link that changes speed.
import { useRef } from 'preact/hooks';
import type { Translate } from '../../ui/i18n/index.ts';
import { formatBytes, formatDuration } from './format.ts';

export function Progress({ t, lang, sent, total, waiting }: { t: Translate; lang: string; sent: number; total: number; waiting: boolean }) {
  const samples = useRef<{ at: number; sent: number }[]>([]);
  const now = Date.now();
  const list = samples.current;
  if (!list.length || list[list.length - 1]!.sent !== sent) list.push({ at: now, sent });
  while (list.length > 2 && now - list[0]!.at > 30_000) list.shift();
  const first = list[0]!;
  const rate = now > first.at && sent > first.sent ? (sent - first.sent) / (now - first.at) : 0;
  const left = rate > 0 ? (total - sent) / rate : 0;
  return (
    <div class="delivery">
      <progress max={total || 1} value={sent} aria-label={t('evidence:delivery.label')} />
      <p>{t('evidence:delivery.sent', { sent: formatBytes(lang, sent), total: formatBytes(lang, total) })}
        {!waiting && left > 0 && sent < total && <> · {t('evidence:delivery.timeLeft', { time: formatDuration(lang, left) })}</>}</p>
      {waiting && <p class="status">{t('evidence:delivery.waiting')}</p>}
    </div>
  );
}
