import { readJSON, type KV } from './storage.js'
import type { Ids } from './types.js'

const IDS_KEY = 'tenure_ids'
const SESSION_KEY = 'tenure_session'
/** A visit ends after this long without events, as in most analytics tools. */
export const SESSION_IDLE_MS = 30 * 60_000
const SESSION_TOUCH_MS = 15_000

interface StoredIds {
  a: string
  u?: string | null
  g?: string | null
}

interface StoredSession {
  id: string
  /** Time of the last event. */
  t: number
}

/**
 * Who the events are about: a persisted anonymous id, the user once identified, the account once
 * grouped (every later event carries it), and a session that ends after 30 idle minutes.
 */
export class Identity {
  private ids: StoredIds

  constructor(
    private readonly kv: KV,
    private readonly newId: () => string,
  ) {
    const stored = readJSON<StoredIds>(kv, IDS_KEY)
    this.ids = stored && typeof stored.a === 'string' && stored.a ? stored : { a: newId() }
    this.save()
  }

  private save(): void {
    this.kv.set(IDS_KEY, JSON.stringify(this.ids))
  }

  get(): Ids {
    return { anonymousId: this.ids.a, userId: this.ids.u ?? null, accountId: this.ids.g ?? null }
  }

  setUser(userId: string): void {
    this.ids = { ...this.ids, u: userId }
    this.save()
  }

  setAccount(accountId: string): void {
    this.ids = { ...this.ids, g: accountId }
    this.save()
  }

  /** Logout: a new anonymous visitor, no user, no account, a new session. */
  reset(): void {
    this.ids = { a: this.newId() }
    this.save()
    this.kv.remove(SESSION_KEY)
  }

  /** The session for an event at `now`, extended by it; shared by the site's tabs. */
  session(now: number): string {
    const s = readJSON<StoredSession>(this.kv, SESSION_KEY)
    const live = s && typeof s.id === 'string' && now - s.t < SESSION_IDLE_MS
    const id = live ? s.id : this.newId()
    // Extending by a few seconds changes nothing against a 30-minute timeout: skip most writes.
    if (!live || now - s.t > SESSION_TOUCH_MS) this.kv.set(SESSION_KEY, JSON.stringify({ id, t: now }))
    return id
  }

  /** Opt-out: nothing that identifies the visitor stays on the device. */
  forget(): void {
    this.kv.remove(IDS_KEY)
    this.kv.remove(SESSION_KEY)
  }
}
