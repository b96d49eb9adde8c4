import { AnalysisError, type RetentionCell } from '@tenure/analysis'
import { z } from 'zod'
import { fmtNum, fmtPct } from '../format.js'
import { ParamError } from '../params.js'
import type { Column } from '../table.js'
import { Tabs } from '../components/tabs.js'

/** Cohort and feature retention pages share a sub-menu. */
export function RetentionTabs(props: { current: 'cohorts' | 'features'; query: string }) {
  const tabs = [
    { key: 'cohorts', label: 'Cohorts & curves', href: '/app/retention' },
    { key: 'features', label: 'Features & retention', href: '/app/retention/features' },
  ] as const
  return <Tabs label="Retention reports" tabs={tabs} current={props.current} query={props.query} />
}

/** Analysis parameter names → the URL's. */
const URL_NAMES: Record<string, string> = { timezone: 'tz', startFeature: 'start_feature', returnFeature: 'return_feature', minN: 'min_n', asOf: 'as_of', features: 'days' }

/** Runs the analysis package's own parameter check up front, so a bad value is a 400 page naming the URL field. */
export function checked<T>(run: () => T): T {
  try {
    return run()
  } catch (err) {
    if (err instanceof AnalysisError) {
      const field = err.field ? (URL_NAMES[err.field] ?? err.field) : null
      throw new ParamError(err.message, field)
    }
    throw err
  }
}

export const optionalText = (max: number) => z.string().trim().max(max).optional().transform((s) => (s ? s : undefined))

/** One column per day N: the rate, coloured as a heat map; counts and censoring in the CSV. */
export function dayColumns<R>(days: number[], cells: (r: R) => RetentionCell[]): Column<R>[] {
  return days.flatMap((n, i): Column<R>[] => {
    const cell = (r: R) => cells(r)[i]
    return [
      {
        key: `d${n}_rate`, label: `Day ${n}`, numeric: true, value: (r) => cell(r)?.rate ?? null,
        heat: (r) => cell(r)?.rate ?? null,
        show: (r) => {
          const c = cell(r)
          if (!c || c.eligible === 0) return <span title={c ? `${c.censored} not yet at day ${n}` : ''}>—</span>
          return <span title={`${c.retained} of ${c.eligible} retained; ${c.censored} not yet at day ${n}; 95% ${fmtPct(c.low)}–${fmtPct(c.high)}`}>{fmtPct(c.rate)}</span>
        },
      },
      { key: `d${n}_retained`, label: 'retained', csvOnly: true, value: (r) => cell(r)?.retained ?? null },
      { key: `d${n}_eligible`, label: 'eligible', csvOnly: true, value: (r) => cell(r)?.eligible ?? null },
      { key: `d${n}_censored`, label: 'censored', csvOnly: true, value: (r) => cell(r)?.censored ?? null },
      { key: `d${n}_low`, label: 'low', csvOnly: true, value: (r) => cell(r)?.low ?? null },
      { key: `d${n}_high`, label: 'high', csvOnly: true, value: (r) => cell(r)?.high ?? null },
    ]
  })
}

export const countCol = <R,>(key: string, label: string, get: (r: R) => number): Column<R> => ({ key, label, numeric: true, value: get, show: (r) => fmtNum(get(r)) })
