import type { ClickHouseClient } from '@clickhouse/client'
import { rollupParams } from './rollup.sql.js'
import type { IsoDate } from './dates.js'
import { TEMPERATURE_PERSON_DAYS_SQL, TEMPERATURE_SQL } from './temperature.sql.js'
import { personDaysComplete } from '../rollup/status.js'

/** Which events count as purchase intent, and how much of each makes a signal "full". */
export interface IntentConfig {
  pricingPaths: string[]
  upgradeTexts: string[]
  upgradeEvents: string[]
  upgradeFeatures: string[]
  /** Features of paid tiers; empty = this signal is not used. */
  paidFeatures: string[]
  /** Active people / seats at which the seat signal is full; it starts at `seatStart`. */
  seatNearLimit: number
  seatStart: number
  saturation: { pricingViews: number; upgradeClicks: number; paidFeatureUsers: number }
  weights: { pricing: number; upgrade: number; seats: number; paidFeatures: number }
}

export const DEFAULT_INTENT: IntentConfig = {
  pricingPaths: ['/pricing', '/billing', '/plans', '/upgrade', '/checkout'],
  upgradeTexts: ['upgrade', 'add seats', 'buy more', 'contact sales'],
  upgradeEvents: ['upgrade_clicked', 'checkout_started', 'seats_limit_reached'],
  upgradeFeatures: [],
  paidFeatures: [],
  seatNearLimit: 0.9,
  seatStart: 0.7,
  saturation: { pricingViews: 3, upgradeClicks: 2, paidFeatureUsers: 2 },
  weights: { pricing: 1, upgrade: 1, seats: 1, paidFeatures: 1 },
}

export interface IntentSignals {
  activeUsers: number
  pricingViews: number
  upgradeClicks: number
  paidFeatureUsers: number
  seats: number | null
  seatUtilisation: number | null
}

/** Temperature 0–100: the weighted mean of signals each scaled to 0–1 and capped; unknown signals are left out. */
export function temperatureOf(s: IntentSignals, cfg: IntentConfig = DEFAULT_INTENT): number {
  const parts: [number, number][] = [
    [cfg.weights.pricing, Math.min(1, s.pricingViews / cfg.saturation.pricingViews)],
    [cfg.weights.upgrade, Math.min(1, s.upgradeClicks / cfg.saturation.upgradeClicks)],
  ]
  if (s.seatUtilisation !== null) {
    const span = cfg.seatNearLimit - cfg.seatStart
    parts.push([cfg.weights.seats, Math.max(0, Math.min(1, span <= 0 ? Number(s.seatUtilisation >= cfg.seatNearLimit) : (s.seatUtilisation - cfg.seatStart) / span))])
  }
  if (cfg.paidFeatures.length > 0) parts.push([cfg.weights.paidFeatures, Math.min(1, s.paidFeatureUsers / cfg.saturation.paidFeatureUsers)])
  const total = parts.reduce((t, [w]) => t + w, 0)
  return total === 0 ? 0 : (100 * parts.reduce((t, [w, v]) => t + w * v, 0)) / total
}

/** Intent signals of the accounts in `seats` over [from, to); seats come from the caller (contracts). */
export async function measureIntent(
  client: ClickHouseClient, projectId: string, from: IsoDate, to: IsoDate, seats: Map<string, number | null>, cfg: IntentConfig = DEFAULT_INTENT,
  /** Whether `person_days` is complete, when the caller knows (see `personDaysComplete`). */
  personDays?: boolean,
): Promise<Map<string, IntentSignals>> {
  const rs = await client.query({
    query: (personDays ?? (await personDaysComplete(client, projectId))) ? TEMPERATURE_PERSON_DAYS_SQL : TEMPERATURE_SQL,
    query_params: {
      ...rollupParams(projectId, from, to),
      accounts: [...seats.keys()],
      pricing_paths: cfg.pricingPaths, upgrade_texts: cfg.upgradeTexts, upgrade_events: cfg.upgradeEvents,
      upgrade_features: cfg.upgradeFeatures, paid_features: cfg.paidFeatures,
    },
    format: 'JSONEachRow',
  })
  const out = new Map<string, IntentSignals>()
  for (const [account, s] of seats) {
    out.set(account, { activeUsers: 0, pricingViews: 0, upgradeClicks: 0, paidFeatureUsers: 0, seats: s, seatUtilisation: s ? 0 : null })
  }
  for (const r of await rs.json<Record<string, string>>()) {
    if (!out.has(r.account!)) continue
    const s = out.get(r.account!)!
    s.activeUsers = Number(r.active_users)
    s.pricingViews = Number(r.pricing_views)
    s.upgradeClicks = Number(r.upgrade_clicks)
    s.paidFeatureUsers = Number(r.paid_feature_users)
    s.seatUtilisation = s.seats ? s.activeUsers / s.seats : null
  }
  return out
}
