// A light horizontal bar chart in inline SVG (no script, no inline style: classes only), drawn the
// same on the server (public page) and in the desk, mirrored for right-to-left languages. The
// figures are in the table beside it, which is what screen readers read; the drawing is hidden from them.

export interface Bar { label: string; value: number | string }

const WIDTH = 320;
const ROW = 36;

export function BarChart({ title, bars, dir, valueHeader, empty }: { title: string; bars: Bar[]; dir: 'ltr' | 'rtl'; valueHeader: string; empty: string }) {
  if (!bars.length) return <figure class="chart"><figcaption>{title}</figcaption><p class="hint">{empty}</p></figure>;
  const max = Math.max(1, ...bars.map((b) => (typeof b.value === 'number' ? b.value : 0)));
  const rtl = dir === 'rtl';
  const x = (at: number, width = 0) => (rtl ? WIDTH - at - width : at);
  return (
    <figure class="chart">
      <figcaption>{title}</figcaption>
      {/* direction="ltr": anchors and positions are computed here for both directions (an inherited rtl would flip start and end). */}
      <svg viewBox={`0 0 ${WIDTH} ${Math.max(ROW, bars.length * ROW)}`} class="bars" direction="ltr" aria-hidden="true" focusable="false">
        {bars.map((bar, i) => {
          const hidden = typeof bar.value !== 'number';
          const width = hidden ? 3 : Math.max(2, Math.round(((bar.value as number) / max) * (WIDTH - 60)));
          const y = i * ROW;
          return (
            <g key={bar.label}>
              <text x={x(0)} y={y + 13} class="bar-label" text-anchor={rtl ? 'end' : 'start'}>{bar.label}</text>
              <rect x={x(0, width)} y={y + 18} width={width} height={12} class={hidden ? 'bar bar-hidden' : 'bar'} />
              <text x={x(width + 4)} y={y + 29} class="bar-value" text-anchor={rtl ? 'end' : 'start'}>{String(bar.value)}</text>
            </g>
          );
        })}
      </svg>
      <table class="figures">
        <thead><tr><th scope="col"><span class="visually-hidden">{title}</span></th><th scope="col">{valueHeader}</th></tr></thead>
        <tbody>{bars.map((bar) => <tr key={bar.label}><th scope="row">{bar.label}</th><td>{String(bar.value)}</td></tr>)}</tbody>
      </table>
    </figure>
  );
}
