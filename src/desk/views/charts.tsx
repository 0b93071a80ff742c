// Bar charts drawn on the server as SVG: one labelled bar per row, so a chart reads on a phone as
// well as on a desk; no script, and the numbers are written next to each bar.
import type { FC } from "hono/jsx";

export interface Bar {
  label: string;
  value: number;
  /** The value as people read it ("5 h", "31 %"). */
  text: string;
  /** Drawn in the warning colour (late, breached). */
  warn?: boolean;
}

const WIDTH = 320;
const LABEL_WIDTH = 96;
const VALUE_WIDTH = 52;
const ROW = 28;

export const BarChart: FC<{ id: string; title: string; bars: Bar[] }> = ({ id, title, bars }) => {
  const max = Math.max(1, ...bars.map((bar) => bar.value));
  const room = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
  const height = Math.max(1, bars.length) * ROW;
  return (
    <figure class="chart" aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`}>{title}</figcaption>
      <svg
        viewBox={`0 0 ${WIDTH} ${height}`}
        width="100%"
        role="img"
        aria-label={`${title}: ${bars.map((bar) => `${bar.label} ${bar.text}`).join(", ")}`}
      >
        {bars.map((bar, n) => {
          const y = n * ROW;
          const length = bar.value > 0 ? Math.max(2, (bar.value / max) * room) : 0;
          return (
            <g>
              <text class="label" x={LABEL_WIDTH - 6} y={y + ROW / 2 + 5} text-anchor="end">
                {bar.label}
              </text>
              <rect
                class={bar.warn ? "bar warn" : "bar"}
                x={LABEL_WIDTH}
                y={y + 4}
                width={length.toFixed(1)}
                height={ROW - 8}
                rx="2"
              />
              <text class="value" x={LABEL_WIDTH + length + 4} y={y + ROW / 2 + 5}>
                {bar.text}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
};
