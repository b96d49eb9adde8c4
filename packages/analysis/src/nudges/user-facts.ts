import type { ClickHouseClient } from '@clickhouse/client'
import type { FeatureDefinition } from '../features/rules.js'
import { activeNudgeIndex } from './active-index.js'
import { serverEligibility, type EligibilityAnswer, type UserFacts } from './eligibility.js'
import { accountPlanSql, userFactsSql } from './user-facts.sql.js'

export interface UserRef {
  anonymousId: string
  userId?: string | null
  accountId?: string | null
}

/** Reads what the collector knows of a user: first activity, which of `features` they used, and (when asked) the plan. */
export async function loadUserFacts(
  client: ClickHouseClient,
  project: string,
  who: UserRef,
  features: readonly FeatureDefinition[],
  withPlan: boolean,
): Promise<UserFacts> {
  const ids = { anonymousId: who.anonymousId, userId: who.userId || null, accountId: who.accountId || null }
  const q = userFactsSql(project, ids, features)
  const factsQuery = client.query({ query: q.sql, query_params: q.params, format: 'JSONEachRow' }).then((rs) => rs.json<{ n: string; first_ms: string; used: number[] }>())
  const planQuery = withPlan
    ? (() => {
        const p = accountPlanSql(project, ids)
        return client.query({ query: p.sql, query_params: p.params, format: 'JSONEachRow' }).then((rs) => rs.json<{ plan: string }>())
      })()
    : Promise.resolve([])
  const [[row], [planRow]] = await Promise.all([factsQuery, planQuery])
  const n = Number(row?.n ?? 0)
  const used = new Set<string>()
  features.forEach((f, i) => {
    if (Number(row?.used[i] ?? 0) === 1) used.add(f.id)
  })
  return { firstSeenMs: n > 0 ? Number(row!.first_ms) : null, usedFeatures: used, plan: planRow?.plan || null, identified: Boolean(ids.userId) }
}

export interface EligibilityResult {
  /** Ids of the active nudges the user may see, as far as the collector can tell. */
  eligible: string[]
  answers: EligibilityAnswer[]
}

/**
 * Which of a project's active nudges a user may see (metrics spec §7, the collector's part: new
 * user, target feature not used, plan). Active nudges and their features come from the in-memory
 * index; one query reads the user's facts, a second the plan when a nudge filters by plan.
 */
export async function nudgeEligibility(
  client: ClickHouseClient,
  project: string,
  who: UserRef,
  nowMs = Date.now(),
): Promise<EligibilityResult> {
  const index = activeNudgeIndex(client)
  const nudges = await index.nudges(project)
  if (nudges.length === 0) return { eligible: [], answers: [] }
  const defs = await index.features(project)
  const features = [...defs.values()]
  const facts = await loadUserFacts(client, project, who, features, nudges.some((n) => n.audience.plans.length > 0))
  const tz = index.timezone(project)
  const answers = nudges.map((n) => serverEligibility(n, facts, nowMs, tz, defs.has(n.featureId)))
  return { eligible: answers.filter((a) => a.eligible).map((a) => a.nudgeId), answers }
}
