import type { ClickHouseClient } from '@clickhouse/client'
import { accountDetail, type AccountDetail } from '../accounts/account-detail.js'
import { addDays, toIsoDate, type IsoDate } from '../accounts/dates.js'
import { featuresToMeasure } from '../accounts/defined-features.js'
import { componentValue, type ComponentName } from '../accounts/health-components.js'
import { healthWithUsage, type HealthAccountRow, type HealthReport } from '../accounts/health-report.js'
import { loadBook } from '../accounts/load.js'
import { bandOf, referenceOf, scoreOf, type Band } from '../accounts/health-score.js'
import { checkDate, ReportParamError } from '../accounts/params-error.js'
import { checkDays } from '../accounts/renewals-report.js'
import { detectSeatSharing, type SeatSharingResult } from '../accounts/seat-sharing.js'
import { measureUsage, type UsageWindow, type WindowUsage } from '../accounts/usage.js'
import { accountPeople, accountWeeklyUsage, type AccountPerson, type WeekUsage } from './account-people.js'
import { sharingSentences } from './sharing-text.js'
import { accountWorklist, type WorklistRow } from './worklist.js'
import type { RollupCoverage } from '../rollup/status.js'

export interface AccountProfile {
  accountId: string
  name: string
  asOf: IsoDate
  detail: AccountDetail
  /** Null when the account is not paying on asOf (health is scored for paying accounts). */
  health: HealthAccountRow | null
  /** The account's score at earlier dates, against today's model and today's accounts as reference. */
  healthTrend: { asOf: IsoDate; health: number; band: Band | null }[]
  worklist: WorklistRow | null
  people: AccountPerson[]
  weeklyUsage: WeekUsage[]
  /** Readable seat-sharing evidence over the health report's temperature window. */
  seatSharing: { person: string; sentences: string[] }[]
  /** Feature id → name for the project's defined features (usage tables key by id). */
  featureNames: Record<string, string>
  /** Whether usage covers every stored event (from the health report). */
  activity: RollupCoverage
}

const TREND_STEPS = [90, 60, 30, 0]

/** One account in full: revenue detail, health and its trend, next renewal, people, weekly usage, seat-sharing evidence. */
export async function accountProfile(
  client: ClickHouseClient,
  p: {
    projectId: string; accountId: string; asOf?: IsoDate; tz?: string; windowDays?: number
    /** The health report as of `asOf`, when the caller has it (with seat sharing marked). */
    health?: HealthReport
    /** Seat sharing over the 30 days before `asOf`, when the caller has it. */
    sharing?: SeatSharingResult
  },
): Promise<AccountProfile | null> {
  const asOf = checkDate(p.asOf, 'asOf', toIsoDate(new Date()))
  const tz = p.tz ?? 'UTC'
  if (!p.accountId || p.accountId.length > 200) throw new ReportParamError('an account id has 1 to 200 characters', 'id')
  const windowDays = checkDays(p.windowDays, 'windowDays', 90)
  // Seat sharing is detected once, here, over the health report's default 30-day window, and marked
  // on the report's rows, instead of the report detecting it again. The account's own windows (its
  // recent usage, the health trend's) are measured in the report's read of the rollup (on their
  // own when the caller brings the report), and what does not need the report (people, weeks, the
  // book) is asked for beside it.
  const windowsOf = (days: number): UsageWindow[] => [{ id: DETAIL_WINDOW, accountId: p.accountId, from: addDays(asOf, -windowDays), to: asOf }, ...trendWindows(p.accountId, asOf, days)]
  const featureRun = featuresToMeasure(client, p.projectId)
  const healthRun = p.health
    ? featureRun.then(async (featureSet) => ({ report: p.health!, usage: await measureUsage(client, p.projectId, windowsOf(p.health!.windowDays), { features: featureSet.conditions }) }))
    : healthWithUsage(client, { projectId: p.projectId, asOf, seatSharing: false }, windowsOf)
  const weeksFrom = addDays(asOf, -7 * 12)
  const [{ report: computed, usage }, sharing, featureSet, book, people, weeklyUsage] = await Promise.all([
    healthRun,
    p.sharing ?? detectSeatSharing(client, p.projectId, addDays(asOf, -30), asOf),
    featureRun,
    loadBook(client, p.projectId),
    accountPeople(client, { projectId: p.projectId, accountId: p.accountId, from: addDays(asOf, -30), tz }),
    accountWeeklyUsage(client, { projectId: p.projectId, accountId: p.accountId, from: weeksFrom, to: addDays(asOf, 1), tz }),
  ])
  const detail = await accountDetail(client, { projectId: p.projectId, accountId: p.accountId, asOf, windowDays, usage: usage.get(DETAIL_WINDOW)!, book })
  if (!detail) return null
  const flagged = new Set(sharing.accounts.map((a) => a.accountId))
  const health = p.health ?? { ...computed, accounts: computed.accounts.map((a) => ({ ...a, seatSharingSuspected: flagged.has(a.accountId) })) }
  const row = health.accounts.find((a) => a.accountId === p.accountId) ?? null
  const worklist = await accountWorklist(client, { projectId: p.projectId, asOf, health, book })
  const healthTrend = row ? trendOf(asOf, health, row, usage) : []
  const shared = sharing.accounts.find((a) => a.accountId === p.accountId)
  return {
    accountId: p.accountId,
    name: detail.account?.name ?? '',
    asOf,
    detail,
    health: row,
    healthTrend,
    worklist: worklist.rows.find((r) => r.accountId === p.accountId) ?? null,
    people,
    weeklyUsage,
    seatSharing: (shared?.flaggedUsers ?? []).map((u) => ({ person: u.userId, sentences: sharingSentences(u) })),
    featureNames: featureSet.names,
    activity: health.activity,
  }
}

/** The detail's window among the trend's (whose ids are their end dates). */
const DETAIL_WINDOW = 'detail'

/** Where the health trend's points fall: 90, 60, 30 and 0 days before `asOf`. */
const trendEnds = (asOf: IsoDate): IsoDate[] => TREND_STEPS.map((d) => addDays(asOf, -d))

/** The health score's usage windows ending at the trend's points. */
function trendWindows(accountId: string, asOf: IsoDate, windowDays: number): UsageWindow[] {
  return trendEnds(asOf).map((end) => ({ id: end, accountId, from: addDays(end, -windowDays), to: end }))
}

function trendOf(asOf: IsoDate, h: HealthReport, row: HealthAccountRow, usage: Map<string, WindowUsage>) {
  const components = h.components as ComponentName[]
  const reference = referenceOf(h.accounts.map((a) => a.components.map((c) => c.value)), components.length)
  const model = { components, weights: h.model.weights, reference, weighting: 'manual' as const }
  return trendEnds(asOf).map((end) => {
    const health = end === asOf ? row.health : scoreOf(model, components.map((c) => componentValue(c, usage.get(end)!, row.seats)))
    return { asOf: end, health, band: h.predictive.predictive ? bandOf(health, h.bands) : null }
  })
}
