/**
 * A uPlot line chart: the spec travels as JSON in a data attribute and app.js draws it. The same
 * numbers are in a table next to it, which is what screen readers and CSV downloads use.
 */
export interface LineSeries {
  label: string
  values: (number | null)[]
  color?: string
  dash?: boolean
}

export interface LineSpec {
  /** `time`: x are ISO dates; `index`: x are numbers (e.g. day N). */
  kind: 'time' | 'index'
  x: (string | number)[]
  series: LineSeries[]
  /** How y values are labelled. */
  y: 'int' | 'pct' | 'money' | 'num'
  xLabel?: string
  yLabel?: string
  height?: number
  /** The last x is a day still in progress (today): drawn as its own dashed "partial" segment, not as a drop. */
  partialLast?: boolean
}

/** Splits each series' last point off into a dashed series from the point before it, labelled partial. */
export function markPartialLast(spec: LineSpec): LineSpec {
  const n = spec.x.length
  if (!spec.partialLast || n < 2) return spec
  const series = spec.series.flatMap((s, i) => {
    const color = s.color ?? PALETTE[i % PALETTE.length]
    const whole = { ...s, color, values: s.values.map((v, k) => (k === n - 1 ? null : v)) }
    const partial = { label: `${s.label} (today so far)`, color, dash: true, values: s.values.map((v, k) => (k >= n - 2 ? v : null)) }
    return [whole, partial]
  })
  return { ...spec, series }
}

export const PALETTE = ['#2563eb', '#16a34a', '#dc2626', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777', '#4b5563', '#65a30d']

export function LineChart(props: { id: string; title: string; spec: LineSpec; summary: string }) {
  const spec = markPartialLast({ ...props.spec, series: props.spec.series.map((s, i) => ({ ...s, color: s.color ?? PALETTE[i % PALETTE.length] })) })
  return (
    <figure class="chart-block" data-chart-block={props.id}>
      <figcaption>{props.title}</figcaption>
      <div class="chart" id={`chart-${props.id}`} data-chart={JSON.stringify(spec)} role="img" aria-label={`${props.title}. ${props.summary}`}>
        <noscript>Charts need JavaScript; the table below has the same numbers.</noscript>
      </div>
    </figure>
  )
}
