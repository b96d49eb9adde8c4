import type { Child } from 'hono/jsx'

export interface Figure {
  /** Stable id for links and tests: `[data-figure=<id>]`. */
  id: string
  label: string
  value: Child
  sub?: Child
}

/** Headline numbers in a row of cards. */
export function Figures(props: { items: Figure[]; label?: string }) {
  return (
    <dl class="figures" aria-label={props.label}>
      {props.items.map((f) => (
        <div class="figure" data-figure={f.id}>
          <dt>{f.label}</dt>
          <dd>{f.value}</dd>
          {f.sub !== undefined && f.sub !== null ? <small>{f.sub}</small> : null}
        </div>
      ))}
    </dl>
  )
}
