import type { ClickHouseClient } from '@clickhouse/client'
import type { IsoDate } from './dates.js'
import { checkDate, ReportParamError } from './params-error.js'
import { shareInFlight } from '../sql/in-flight.js'
import { pushTo } from '../multimap.js'
import { countBelow } from '../stats/sorted.js'
import { rollupParams } from './rollup.sql.js'
import { devicesSql, PERSON_ACTIVITY_SQL, PERSON_DAYS_ACTIVITY_SQL, sessionsSql, type SpanSource } from './seat-sharing.sql.js'
import { personDaysComplete, spansComplete } from '../rollup/status.js'
import { sessionOverlaps, type OverlapRow, type SessionSpan } from './session-overlaps.js'

export interface SeatSharingOptions {
  /** Overlaps shorter than this are ignored (tab switches, clock noise). */
  minOverlapSeconds?: number
  /** A user is flagged for overlaps on at least this many distinct days. */
  minOverlapDays?: number
  /** Flag a person whose active hours per active day reach this multiple of their peers' median… */
  heavyFactor?: number
  /** …and at least this many hours per active day. */
  heavyMinHoursPerDay?: number
  /** Peers are the account's other people when it has this many, else everyone in the project. */
  minPeers?: number
}

export interface OverlapEvidence {
  day: IsoDate
  a: { session: string; device: string; start: string; end: string }
  b: { session: string; device: string; start: string; end: string }
  overlapSeconds: number
}

export interface FlaggedUser {
  userId: string
  reasons: ('overlapping_sessions' | 'heavy_use')[]
  /** Distinct days with overlapping sessions, and up to five examples. */
  overlapDays: number
  overlaps: OverlapEvidence[]
  activity: { activeDays: number; activeHours: number; hoursPerActiveDay: number; peerMedianHoursPerDay: number; devices: number; events: number }
}

export interface SeatSharingAccount {
  accountId: string
  activePeople: number
  flaggedUsers: FlaggedUser[]
}

export interface SeatSharingResult {
  from: IsoDate
  to: IsoDate
  accounts: SeatSharingAccount[]
}

/** A row of SESSIONS_SQL: account, user id, session, device, start and end in epoch ms (64-bit integers come as text). */
export type SessionRow = [string, string, string, string, string | number, string | number]

export const sessionSpan = ([account, userId, session, device, started, ended]: SessionRow): SessionSpan => ({
  account, userId, session, device, startedMs: Number(started), endedMs: Number(ended),
})

function median(xs: number[]): number {
  if (xs.length === 0) return 0
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

/** The median of sorted values with one value `x` (one of them) left out, without copying them. */
export function medianWithout(sorted: readonly number[], x: number): number {
  const n = sorted.length - 1
  if (n <= 0) return 0
  // Where x sits: the values after it move down one place once it is left out.
  const lo = countBelow(sorted, x)
  const at = (i: number) => sorted[i < lo ? i : i + 1]!
  const m = n >> 1
  return n % 2 ? at(m) : (at(m - 1) + at(m)) / 2
}

/** Accounts with at least one person who looks like several people sharing one seat, with the evidence. */
export async function detectSeatSharing(client: ClickHouseClient, projectId: string, from: IsoDate, to: IsoDate, opts: SeatSharingOptions = {}): Promise<SeatSharingResult> {
  checkDate(from, 'from', from)
  checkDate(to, 'to', to)
  if (from >= to) throw new ReportParamError('from must be before to', 'from')
  // The health report and the pages beside it ask for the same window at the same time.
  const result = await shareInFlight(client, JSON.stringify(['seat-sharing', projectId, from, to, opts]), () => detect(client, projectId, from, to, opts))
  return structuredClone(result)
}

async function detect(client: ClickHouseClient, projectId: string, from: IsoDate, to: IsoDate, opts: SeatSharingOptions): Promise<SeatSharingResult> {
  const minDays = opts.minOverlapDays ?? 2
  const factor = opts.heavyFactor ?? 3
  const minHours = opts.heavyMinHoursPerDay ?? 6
  const minPeers = opts.minPeers ?? 3
  const params = rollupParams(projectId, from, to)
  const [spans, days] = await Promise.all([spansComplete(client, projectId), personDaysComplete(client, projectId)])
  const source: SpanSource = spans ? 'spans' : 'events'
  const [sessions, people] = await Promise.all([
    client.query({ query: sessionsSql(source), query_params: params, format: 'JSONCompactEachRow' }).then((r) => r.json<SessionRow>()),
    client.query({ query: days ? PERSON_DAYS_ACTIVITY_SQL : PERSON_ACTIVITY_SQL, query_params: params, format: 'JSONEachRow' }).then((r) => r.json<Record<string, string>>()),
  ])
  const byAccount = new Map<string, { person: string; days: number; hours: number; events: number }[]>()
  for (const r of people) {
    pushTo(byAccount, r.account!, { person: r.person!, days: Number(r.active_days), hours: Number(r.active_hours), events: Number(r.events) })
  }
  const rate = (p: { days: number; hours: number }) => (p.days === 0 ? 0 : p.hours / p.days)
  const projectMedian = median([...byAccount.values()].flat().map(rate))

  const flagged = new Map<string, Map<string, FlaggedUser>>()
  const flag = (account: string, userId: string): FlaggedUser => {
    const users = flagged.get(account) ?? new Map<string, FlaggedUser>()
    flagged.set(account, users)
    let f = users.get(userId)
    if (!f) {
      const p = byAccount.get(account)?.find((x) => x.person === userId)
      const peers = (byAccount.get(account) ?? []).filter((x) => x.person !== userId)
      f = {
        userId, reasons: [], overlapDays: 0, overlaps: [],
        activity: {
          activeDays: p?.days ?? 0, activeHours: p?.hours ?? 0, hoursPerActiveDay: p ? rate(p) : 0,
          peerMedianHoursPerDay: peers.length >= minPeers ? median(peers.map(rate)) : projectMedian, devices: 0, events: p?.events ?? 0,
        },
      }
      users.set(userId, f)
    }
    return f
  }

  const overlaps = sessionOverlaps(sessions.map(sessionSpan), opts.minOverlapSeconds ?? 300)
  const overlapByUser = new Map<string, OverlapRow[]>()
  for (const r of overlaps) {
    const key = `${r.account}\u0000${r.userId}`
    pushTo(overlapByUser, key, r)
  }
  for (const rows of overlapByUser.values()) {
    const days = new Set(rows.map((r) => r.day))
    if (days.size < minDays) continue
    const f = flag(rows[0]!.account, rows[0]!.userId)
    f.reasons.push('overlapping_sessions')
    f.overlapDays = days.size
    f.overlaps = rows.slice(0, 5).map((r) => ({ day: r.day, overlapSeconds: r.overlapSeconds, a: r.a, b: r.b }))
  }
  for (const [account, list] of byAccount) {
    // The account's rates sorted once: each person's peers are the others, whose median is read off it.
    const rates = list.map(rate).sort((a, b) => a - b)
    for (const p of list) {
      const peerMedian = list.length - 1 >= minPeers ? medianWithout(rates, rate(p)) : projectMedian
      if (rate(p) >= minHours && rate(p) >= factor * peerMedian) flag(account, p.person).reasons.push('heavy_use')
    }
  }
  await countDevices(client, params, flagged, source)
  const accounts = [...flagged].map(([accountId, users]) => ({
    accountId, activePeople: byAccount.get(accountId)?.length ?? 0, flaggedUsers: [...users.values()],
  }))
  return { from, to, accounts: accounts.sort((a, b) => b.flaggedUsers.length - a.flaggedUsers.length || (a.accountId < b.accountId ? -1 : 1)) }
}

/** Devices are evidence for the flagged people only: read from their own spans (or events), not everyone's. */
async function countDevices(client: ClickHouseClient, params: Record<string, unknown>, flagged: Map<string, Map<string, FlaggedUser>>, source: SpanSource): Promise<void> {
  const pairs = [...flagged].flatMap(([account, users]) => [...users.keys()].map((person) => [account, person] as [string, string]))
  if (pairs.length === 0) return
  const rs = await client.query({
    query: devicesSql(source),
    query_params: { ...params, people: [...new Set(pairs.map((p) => p[1]))], pair_accounts: pairs.map((p) => p[0]), pair_people: pairs.map((p) => p[1]) },
    format: 'JSONEachRow',
  })
  for (const r of await rs.json<{ account: string; person: string; devices: string }>()) {
    const f = flagged.get(r.account)?.get(r.person)
    if (f) f.activity.devices = Number(r.devices)
  }
}
