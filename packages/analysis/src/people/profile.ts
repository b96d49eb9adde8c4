import type { ClickHouseClient } from '@clickhouse/client'
import { loadBook } from '../accounts/load.js'
import { ReportParamError } from '../accounts/params-error.js'
import { listNudges } from '../nudges/store.js'
import { Params } from '../sql/params.js'
import { isoInstant } from './cursor.js'
import { featureConditions } from './feature-conditions.js'
import { personKeys } from './identity.js'
import { BY_ACCOUNT_SQL, BY_KEY_SQL, featureUseSql, NUDGE_EVENTS, NUDGES_SQL, PASSIVE_EVENTS, SUMMARY_SQL } from './profile.sql.js'

export interface PersonProfile {
  person: string
  timeZone: string
  firstSeen: string
  lastSeen: string
  events: number
  /** Calendar days (in `timeZone`) with an event the person caused. */
  activeDays: number
  /** Properties of their latest identify (role, plan…); {} when none. */
  traits: Record<string, unknown>
  /** The user id and each anonymous id merged into it, with their own first/last event. */
  identities: { id: string; kind: 'user' | 'anonymous'; mergedAt: string | null; events: number; firstSeen: string | null; lastSeen: string | null }[]
  /** Accounts their events carried, oldest membership first; `current` is the one of their latest account event. */
  accounts: { accountId: string; name: string; firstSeen: string; lastSeen: string; events: number; current: boolean }[]
  /** Features used, in order of first use. */
  features: { id: string; name: string; firstUsed: string; uses: number }[]
  /** Nudges shown (or held out) and what the person did. */
  nudges: {
    nudgeId: string; name: string; featureId: string; shown: number; firstShown: string | null; clicked: boolean; dismissed: boolean; heldOut: boolean
    outcome: 'clicked' | 'dismissed' | 'no response' | 'held out'
    /** The person first used the nudge's feature after the nudge was first shown (adoption after it). */
    usedFeatureAfter: boolean
  }[]
}

async function rows<T>(client: ClickHouseClient, query: string, params: Record<string, unknown>): Promise<T[]> {
  return (await client.query({ query, query_params: params, format: 'JSONEachRow' })).json<T>()
}

function parseTraits(json: string): Record<string, unknown> {
  try {
    const v = JSON.parse(json) as unknown
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {}
  } catch {
    return {}
  }
}

type Span = { events: string; first_seen: string; last_seen: string }

/** Everything known of one person; null when no event is stored under any of their ids. */
export async function personProfile(client: ClickHouseClient, p: { projectId: string; personId: string; timeZone?: string }): Promise<PersonProfile | null> {
  const tz = p.timeZone ?? 'UTC'
  if (!/^[A-Za-z0-9_+\-/]{1,64}$/.test(tz)) throw new ReportParamError('timeZone is not an IANA time zone', 'tz')
  const who = await personKeys(client, p.projectId, p.personId)
  const base = { project: p.projectId, accounts: who.accounts, keys: who.keys }
  const [summary] = await rows<Span & { active_days: string; traits: string }>(client, SUMMARY_SQL, { ...base, tz, passive: PASSIVE_EVENTS })
  if (!summary || Number(summary.events) === 0) return null

  const params = new Params('f')
  const conds = await featureConditions(client, p.projectId, params)
  const [byKey, byAccount, nudgeRows, featureRows, book, nudgeDefs] = await Promise.all([
    rows<Span & { key: string; identified: number }>(client, BY_KEY_SQL, base),
    rows<Span & { account_id: string }>(client, BY_ACCOUNT_SQL, base),
    rows<{ nudge: string; shown: string; first_shown: string; clicked: string; dismissed: string; held_out: string }>(client, NUDGES_SQL, { ...base, nudge_events: NUDGE_EVENTS }),
    rows<Record<string, string>>(client, featureUseSql(conds.map((c) => c.sql)), { ...base, ...params.values }),
    loadBook(client, p.projectId),
    listNudges(client, p.projectId),
  ])

  const features: PersonProfile['features'] = conds.length
    ? conds.flatMap((c, i) => {
        const uses = Number(featureRows[0]?.[`n${i}`] ?? 0)
        return uses > 0 ? [{ id: c.id, name: c.name, firstUsed: isoInstant(featureRows[0]![`f${i}`]!), uses }] : []
      })
    : featureRows.map((r) => ({ id: r.feature!, name: r.feature!, firstUsed: isoInstant(r.first_used!), uses: Number(r.uses) }))
  features.sort((a, b) => (a.firstUsed < b.firstUsed ? -1 : a.firstUsed > b.firstUsed ? 1 : a.id.localeCompare(b.id)))
  const firstUse = new Map(features.map((f) => [f.id, f.firstUsed]))

  const names = new Map(book.accounts.map((a) => [a.accountId, a.name]))
  const latest = byAccount.reduce<(Span & { account_id: string }) | null>((m, r) => (!m || r.last_seen > m.last_seen ? r : m), null)
  const spans = new Map(byKey.map((r) => [r.key, r]))
  const identity = (id: string, kind: 'user' | 'anonymous', mergedAt: string | null) => {
    const s = spans.get(id)
    return { id, kind, mergedAt, events: Number(s?.events ?? 0), firstSeen: s ? isoInstant(s.first_seen) : null, lastSeen: s ? isoInstant(s.last_seen) : null }
  }
  const identified = who.aliases.length > 0 || byKey.some((r) => r.key === who.person && Number(r.identified) === 1)
  const nudgeInfo = new Map(nudgeDefs.map((n) => [n.id, n]))

  return {
    person: who.person,
    timeZone: tz,
    firstSeen: isoInstant(summary.first_seen),
    lastSeen: isoInstant(summary.last_seen),
    events: Number(summary.events),
    activeDays: Number(summary.active_days),
    traits: parseTraits(summary.traits),
    identities: [
      identity(who.person, identified ? 'user' : 'anonymous', null),
      ...who.aliases.filter((a) => a.anonymousId !== who.person).map((a) => identity(a.anonymousId, 'anonymous', a.mergedAt)),
    ],
    accounts: byAccount.map((r) => ({
      accountId: r.account_id, name: names.get(r.account_id) ?? '', firstSeen: isoInstant(r.first_seen), lastSeen: isoInstant(r.last_seen),
      events: Number(r.events), current: r.account_id === latest?.account_id,
    })),
    features,
    nudges: nudgeRows.map((r) => {
      const def = nudgeInfo.get(r.nudge)
      const shown = Number(r.shown)
      const firstShown = shown > 0 ? isoInstant(r.first_shown) : null
      const clicked = Number(r.clicked) > 0
      const dismissed = Number(r.dismissed) > 0
      const heldOut = Number(r.held_out) > 0
      const used = def ? firstUse.get(def.featureId) : undefined
      return {
        nudgeId: r.nudge, name: def?.name ?? '', featureId: def?.featureId ?? '', shown, firstShown, clicked, dismissed, heldOut,
        outcome: clicked ? 'clicked' : dismissed ? 'dismissed' : shown > 0 ? 'no response' : 'held out',
        usedFeatureAfter: used !== undefined && firstShown !== null && used >= firstShown,
      }
    }),
  }
}
