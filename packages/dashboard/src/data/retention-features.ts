import type { ClickHouseClient } from '@clickhouse/client'
import {
  ahaReport, featureRetentionReport, highRetentionReport, listFeatures, projectTimezone,
  type AhaReport, type FeatureRetentionReport, type HighRetentionReport,
} from '@tenure/analysis'
import { z } from 'zod'
import { addDays, intIn, isoDate, timeZone, todayIn } from '../params.js'

/** The retention features page's query (its form fields), with the defaults a first visit gets. */
export const RetentionFeaturesQuery = z.object({
  from: isoDate.optional(),
  to: isoDate.optional(),
  tz: timeZone.optional(),
  days: z.string().trim().max(400).default('1,7,14,30'),
  return: z.enum(['feature', 'any']).default('feature'),
  mode: z.enum(['on', 'on_or_after']).default('on'),
  n: intIn(1, 3650).default(30),
  window: intIn(1, 90).default(7),
  min_n: intIn(1, 1_000_000).default(30),
  aha: z.string().trim().max(64).optional().transform((s) => (s ? s : undefined)),
})

/** The query with its range and zone settled: by default the 90 days up to yesterday in the project's zone. */
export type RetentionFeaturesView = z.infer<typeof RetentionFeaturesQuery> & { from: string; to: string; tz: string }

export function settledView(q: z.infer<typeof RetentionFeaturesQuery>, projectTz: string, now = new Date()): RetentionFeaturesView {
  const tz = q.tz ?? projectTz
  const to = q.to ?? addDays(todayIn(tz, now), -1)
  const from = q.from ?? addDays(to, -89)
  return { ...q, from, to, tz }
}

/** What the page shows; all null when the project has no features yet. */
export interface RetentionFeaturesData {
  retention: FeatureRetentionReport | null
  high: HighRetentionReport | null
  aha: AhaReport | null
}

export interface RetentionFeaturesParams {
  projectId: string
  view: RetentionFeaturesView
  /** The local day the reports are as of: they read the events before its start in `view.tz`. */
  asOf: string
  segment?: string | undefined
}

const common = (p: RetentionFeaturesView) => ({ from: p.from, to: p.to, timezone: p.tz, mode: p.mode })
export const highInput = (p: RetentionFeaturesView) => ({ ...common(p), n: p.n, window: p.window, minN: p.min_n })
export const retentionInput = (p: RetentionFeaturesView) => ({ ...common(p), days: p.days, return: p.return })
export const ahaInput = (p: RetentionFeaturesView, feature: string) => ({ ...common(p), feature, n: p.n, window: p.window, minN: p.min_n })

/**
 * The page's three reports as of the start of `asOf` (a whole local day: every report counts only
 * complete days, and the nudge experiments behind the evidence levels then read the same events),
 * so the result depends only on data a version can see (`HealthReports.retentionFeatures`).
 * Feature retention and the high-retention report run side by side; the aha report needs the
 * latter's top feature unless the page names one.
 */
export async function retentionFeaturesData(client: ClickHouseClient, p: RetentionFeaturesParams): Promise<RetentionFeaturesData> {
  const features = await listFeatures(client, p.projectId)
  if (features.length === 0) return { retention: null, high: null, aha: null }
  const base = { project: p.projectId, asOf: p.asOf, segment: p.segment }
  const [retention, high] = await Promise.all([
    featureRetentionReport(client, { ...base, ...retentionInput(p.view) }),
    highRetentionReport(client, { ...base, ...highInput(p.view) }),
  ])
  const ahaId = p.view.aha ?? high.features.find((f) => f.highRetention)?.featureId ?? high.features.find((f) => f.status === 'tested')?.featureId ?? features[0]!.id
  const aha = await ahaReport(client, { ...base, ...ahaInput(p.view, ahaId) })
  return { retention, high, aha }
}

/** The page as a first visit sees it (no query, no segment), as of today in the project's zone. */
export async function defaultRetentionFeatures(client: ClickHouseClient, projectId: string, now = new Date()): Promise<RetentionFeaturesParams> {
  const view = settledView(RetentionFeaturesQuery.parse({}), await projectTimezone(client, projectId), now)
  return { projectId, view, asOf: todayIn(view.tz, now) }
}
