// Attempts per minute over the last hour as bars. Drawn as inline SVG: no chart library, nothing remote.
const WIDTH = 360;
const HEIGHT = 80;

export function TimelineChart({ timeline, appName }: { timeline: readonly number[]; appName: string }) {
  const total = timeline.reduce((a, b) => a + b, 0);
  const peak = timeline.reduce((a, b) => Math.max(a, b), 0);
  const n = Math.max(timeline.length, 1);
  const barWidth = WIDTH / n;
  const label = `Attempts by ${appName} per minute over the last ${n} minutes: ${total} in total, at most ${peak} in one minute.`;
  return (
    <figure className="timeline">
      <svg
        className="timeline__svg"
        viewBox={`0 0 ${WIDTH} ${HEIGHT + 14}`}
        role="img"
        aria-label={label}
        preserveAspectRatio="none"
      >
        <line x1={0} y1={HEIGHT} x2={WIDTH} y2={HEIGHT} className="timeline__axis" />
        {timeline.map((value, i) => {
          if (value === 0) return null;
          const h = peak ? Math.max(2, (value / peak) * (HEIGHT - 4)) : 0;
          return (
            <rect
              key={i}
              className="timeline__bar"
              x={i * barWidth + 0.5}
              y={HEIGHT - h}
              width={Math.max(barWidth - 1, 1)}
              height={h}
            >
              <title>{`${value} attempt${value === 1 ? '' : 's'}, ${n - i} min ago`}</title>
            </rect>
          );
        })}
        <text x={0} y={HEIGHT + 12} className="timeline__tick">
          {n} min ago
        </text>
        <text x={WIDTH} y={HEIGHT + 12} className="timeline__tick" textAnchor="end">
          now
        </text>
      </svg>
      <figcaption className="muted">
        {total} attempts in the last hour{peak ? `, peak ${peak}/min` : ''}
      </figcaption>
    </figure>
  );
}
