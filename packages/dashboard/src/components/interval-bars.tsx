import { fmtInterval, fmtPct } from '../format.js'
import { r1, scale } from './svg.js'

export interface IntervalBar {
  label: string
  rate: number | null
  lo: number | null
  hi: number | null
  n: number
  highlight?: boolean
}

/** Rates 0–100 % as bars with their 95 % intervals as whiskers, and an optional baseline line. */
export function IntervalBars(props: { id: string; title: string; bars: IntervalBar[]; baseline?: number | null; xTitle: string }) {
  const W = 1000
  const H = 280
  const m = { l: 48, r: 12, t: 14, b: 46 }
  const top = Math.min(1, Math.max(0.1, ...props.bars.map((b) => b.hi ?? b.rate ?? 0)) * 1.1)
  const y = scale(0, top, H - m.b, m.t)
  const band = (W - m.l - m.r) / Math.max(1, props.bars.length)
  const bw = Math.min(80, band * 0.6)
  const steps = [0, 0.25, 0.5, 0.75, 1].map((f) => f * top)
  return (
    <figure class="chart-block" data-chart-block={props.id}>
      <figcaption>{props.title}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} class="svg-chart" role="img" aria-label={`${props.title}; the table below has the numbers.`}>
        {steps.map((v) => (
          <g class="tick">
            <line x1={m.l} x2={W - m.r} y1={r1(y(v))} y2={r1(y(v))} class="grid" />
            <text x={m.l - 6} y={r1(y(v)) + 4} text-anchor="end">{fmtPct(v, 0)}</text>
          </g>
        ))}
        {props.bars.map((b, i) => {
          const cx = m.l + i * band + band / 2
          return (
            <g>
              <title>{`${b.label}: ${fmtPct(b.rate)} (${fmtInterval(b.lo, b.hi)}), n = ${b.n}`}</title>
              {b.rate !== null ? (
                <rect x={r1(cx - bw / 2)} width={r1(bw)} y={r1(y(b.rate))} height={r1(y(0) - y(b.rate))} class={b.highlight ? 'bar hl' : 'bar'} />
              ) : null}
              {b.lo !== null && b.hi !== null ? (
                <g class="whisker">
                  <line x1={r1(cx)} x2={r1(cx)} y1={r1(y(b.lo))} y2={r1(y(b.hi))} />
                  <line x1={r1(cx - 8)} x2={r1(cx + 8)} y1={r1(y(b.lo))} y2={r1(y(b.lo))} />
                  <line x1={r1(cx - 8)} x2={r1(cx + 8)} y1={r1(y(b.hi))} y2={r1(y(b.hi))} />
                </g>
              ) : null}
              <text x={r1(cx)} y={H - m.b + 16} text-anchor="middle" class="xlabel">{b.label}</text>
              <text x={r1(cx)} y={H - m.b + 30} text-anchor="middle" class="xsub">n={b.n}</text>
            </g>
          )
        })}
        {props.baseline !== undefined && props.baseline !== null ? (
          <g class="baseline">
            <line x1={m.l} x2={W - m.r} y1={r1(y(props.baseline))} y2={r1(y(props.baseline))} />
            <text x={W - m.r - 4} y={r1(y(props.baseline)) - 4} text-anchor="end">baseline {fmtPct(props.baseline)}</text>
          </g>
        ) : null}
        <text x={(m.l + W - m.r) / 2} y={H - 2} text-anchor="middle" class="axis-title">{props.xTitle}</text>
      </svg>
    </figure>
  )
}
