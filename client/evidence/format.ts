// Sizes and durations in the page's language, from the platform's Intl (no strings shipped).
const unit = (lang: string, value: number, name: string, digits = 0) => {
  try {
    return new Intl.NumberFormat(lang, { style: 'unit', unit: name, unitDisplay: name.endsWith('byte') ? 'short' : 'long', maximumFractionDigits: digits }).format(value);
  } catch {
    return `${value.toFixed(digits)} ${name}`;
  }
};

export function formatBytes(lang: string, bytes: number): string {
  if (bytes < 1024 * 1024) return unit(lang, Math.max(1, Math.round(bytes / 1024)), 'kilobyte');
  return unit(lang, bytes / (1024 * 1024), 'megabyte', 1);
}

export function formatDuration(lang: string, ms: number): string {
  const seconds = Math.max(1, Math.round(ms / 1000));
  if (seconds < 90) return unit(lang, seconds, 'second');
  if (seconds < 90 * 60) return unit(lang, Math.round(seconds / 60), 'minute');
  return unit(lang, seconds / 3600, 'hour', 1);
}

/** A recording's length as m:ss, in the language's digits. */
export function formatClock(lang: string, ms: number): string {
  const s = Math.floor(ms / 1000);
  const two = new Intl.NumberFormat(lang, { minimumIntegerDigits: 2 });
  return `${new Intl.NumberFormat(lang).format(Math.floor(s / 60))}:${two.format(s % 60)}`;
}
