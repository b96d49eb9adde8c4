import type { Ids } from '../types.js'
import type { NudgeSpec } from './types.js'

export type Fetch = (url: string, init?: RequestInit) => Promise<Response>

const qs = (params: Record<string, string | null>) =>
  Object.entries(params)
    .filter(([, v]) => v)
    .map(([k, v]) => `${k}=${encodeURIComponent(v!)}`)
    .join('&')

async function getJson<T>(f: Fetch, url: string): Promise<T | null> {
  try {
    const res = await f(url, { credentials: 'omit' })
    return res.ok ? ((await res.json()) as T) : null
  } catch {
    return null
  }
}

/** The project's active nudges (the browser may answer from its HTTP cache); [] when unreachable. */
export async function fetchActive(f: Fetch, host: string, key: string): Promise<NudgeSpec[]> {
  const body = await getJson<{ nudges?: NudgeSpec[] }>(f, `${host}/v1/nudges/active?${qs({ write_key: key })}`)
  return Array.isArray(body?.nudges) ? body!.nudges : []
}

/** Ids of the nudges the collector finds this user eligible for; none when it cannot say (fail closed). */
export async function fetchEligible(f: Fetch, host: string, key: string, ids: Ids): Promise<Set<string>> {
  const body = await getJson<{ eligible?: string[] }>(
    f,
    `${host}/v1/nudges/eligibility?${qs({ write_key: key, anonymous_id: ids.anonymousId, user_id: ids.userId, account_id: ids.accountId })}`,
  )
  return new Set(Array.isArray(body?.eligible) ? body!.eligible : [])
}
