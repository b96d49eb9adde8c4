import { fmtMoney, fmtNum } from '../format.js'
import { r1, scale } from './svg.js'

export interface Bubble {
  id: string
  label: string
  x: number
  y: number
  size: number
  href: string
  color: string
}

/**
 * Health × temperature: each account a bubble (area ∝ ARR) on 0–100 axes, split into the four
 * quadrants at the report's thresholds. Bubbles are links to the account, reachable by keyboard.
 */
export function BubbleChart(props: {
  title: string
  bubbles: Bubble[]
  thresholds: { health: number; temperature: number }
  quadrantNames: { expand: string; convert: string; investigate: string; train: string }
  currency: string | null
}) {
  const W = 1000
  const H = 520
  const m = { l: 56, r: 20, t: 16, b: 44 }
  const x = scale(0, 100, m.l, W - m.r)
  const y = scale(0, 100, H - m.b, m.t)
  const maxSize = Math.max(1, ...props.bubbles.map((b) => b.size))
  const radius = (s: number) => 4 + 26 * Math.sqrt(Math.max(0, s) / maxSize)
  const tx = x(props.thresholds.health)
  const ty = y(props.thresholds.temperature)
  // Biggest first, so small bubbles stay on top and clickable.
  const ordered = [...props.bubbles].sort((a, b) => b.size - a.size)
  return (
    <figure class="chart-block" data-chart-block="quadrant">
      <figcaption>{props.title}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} class="svg-chart bubble" role="group" aria-label={`${props.title}: one bubble per account, linked to its page`}>
        <rect x={m.l} y={m.t} width={tx - m.l} height={ty - m.t} class="q q-convert" />
        <rect x={tx} y={m.t} width={W - m.r - tx} height={ty - m.t} class="q q-expand" />
        <rect x={m.l} y={ty} width={tx - m.l} height={H - m.b - ty} class="q q-train" />
        <rect x={tx} y={ty} width={W - m.r - tx} height={H - m.b - ty} class="q q-investigate" />
        <text x={m.l + 8} y={m.t + 18} class="qlabel">{props.quadrantNames.convert}</text>
        <text x={W - m.r - 8} y={m.t + 18} class="qlabel" text-anchor="end">{props.quadrantNames.expand}</text>
        <text x={m.l + 8} y={H - m.b - 8} class="qlabel">{props.quadrantNames.train}</text>
        <text x={W - m.r - 8} y={H - m.b - 8} class="qlabel" text-anchor="end">{props.quadrantNames.investigate}</text>
        {[0, 25, 50, 75, 100].map((v) => (
          <g class="tick">
            <text x={r1(x(v))} y={H - m.b + 16} text-anchor="middle">{v}</text>
            <text x={m.l - 6} y={r1(y(v)) + 4} text-anchor="end">{v}</text>
          </g>
        ))}
        <text x={(m.l + W - m.r) / 2} y={H - 6} text-anchor="middle" class="axis-title">Health score →</text>
        <text x={14} y={(m.t + H - m.b) / 2} text-anchor="middle" class="axis-title" transform={`rotate(-90 14 ${(m.t + H - m.b) / 2})`}>Temperature →</text>
        {ordered.map((b) => (
          <a href={b.href} class="bubble-link" data-account={b.id}>
            <title>{`${b.label}: health ${fmtNum(b.x, 0)}, temperature ${fmtNum(b.y, 0)}, ARR ${fmtMoney(b.size, props.currency)}`}</title>
            <circle cx={r1(x(b.x))} cy={r1(y(b.y))} r={r1(radius(b.size))} fill={b.color} />
          </a>
        ))}
      </svg>
    </figure>
  )
}
