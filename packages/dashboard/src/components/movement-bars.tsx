import { fmtMoney } from '../format.js'
import { r1, scale, short, ticks } from './svg.js'

export interface MovementMonth {
  month: string
  new: number
  expansion: number
  reactivation: number
  contraction: number
  churned: number
}

const UP = [
  { key: 'new', label: 'New', color: '#2563eb' },
  { key: 'expansion', label: 'Expansion', color: '#16a34a' },
  { key: 'reactivation', label: 'Reactivation', color: '#0891b2' },
] as const
const DOWN = [
  { key: 'contraction', label: 'Contraction', color: '#ea580c' },
  { key: 'churned', label: 'Churned', color: '#dc2626' },
] as const

/** MRR movements per month as diverging stacked bars: gains above zero, losses below. */
export function MovementBars(props: { months: MovementMonth[]; currency: string | null; title: string }) {
  // Drawn at about the size it is shown (half the page), so its text stays legible.
  const W = 640
  const H = 300
  const m = { l: 52, r: 8, t: 12, b: 34 }
  const months = props.months
  const hi = Math.max(1, ...months.map((x) => x.new + x.expansion + x.reactivation))
  const lo = Math.min(-1, ...months.map((x) => -(x.contraction + x.churned)))
  const y = scale(lo, hi, H - m.b, m.t)
  const band = (W - m.l - m.r) / Math.max(1, months.length)
  const bw = Math.max(2, band * 0.7)
  const every = Math.max(1, Math.ceil(months.length / 8))
  return (
    <figure class="chart-block" data-chart-block="mrr-movements">
      <figcaption>{props.title}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} class="svg-chart" role="img" aria-label={`${props.title}: gains above the line, losses below, per month; the table below has the numbers.`}>
        {ticks(lo, hi, 5).map((v) => (
          <g class="tick">
            <line x1={m.l} x2={W - m.r} y1={r1(y(v))} y2={r1(y(v))} class={v === 0 ? 'zero' : 'grid'} />
            <text x={m.l - 6} y={r1(y(v)) + 4} text-anchor="end">{short(v)}</text>
          </g>
        ))}
        {months.map((mo, i) => {
          const x = m.l + i * band + (band - bw) / 2
          let top = 0
          let bottom = 0
          return (
            <g>
              <title>{`${mo.month}: ${[...UP, ...DOWN].map((s) => `${s.label} ${fmtMoney(mo[s.key], props.currency)}`).join(', ')}`}</title>
              {UP.map((s) => {
                const v = mo[s.key]
                if (v <= 0) return null
                const y0 = y(top)
                top += v
                return <rect x={r1(x)} width={r1(bw)} y={r1(y(top))} height={r1(y0 - y(top))} fill={s.color} />
              })}
              {DOWN.map((s) => {
                const v = mo[s.key]
                if (v <= 0) return null
                const y0 = y(bottom)
                bottom -= v
                return <rect x={r1(x)} width={r1(bw)} y={r1(y0)} height={r1(y(bottom) - y0)} fill={s.color} />
              })}
              {i % every === 0 ? (
                <text x={r1(x + bw / 2)} y={H - m.b + 16} text-anchor="middle" class="xlabel">{mo.month}</text>
              ) : null}
            </g>
          )
        })}
      </svg>
      <ul class="legend">
        {[...UP, ...DOWN].map((s) => (
          <li><span class="swatch" style={`background:${s.color}`}></span>{s.label}</li>
        ))}
      </ul>
    </figure>
  )
}
