import { BoundedMap } from './bounded.js'
import type { AccountRow, AliasRow, EventRow } from './rows.js'

const IDENTIFY = '$identify'

/**
 * Side-table rows implied by events: an anonymous id seen with a user id is that user
 * (person_aliases); a user (or anonymous visitor) seen with an account belongs to it (user_accounts). A bounded memory of
 * the last mapping written per key keeps steady traffic from rewriting the same row; a change
 * (a user moving account) is always written. The tables keep the mapping with the latest time.
 */
export class IdentityTracker {
  private readonly aliases: BoundedMap<string>
  private readonly accounts: BoundedMap<string>

  constructor(size = 100_000) {
    this.aliases = new BoundedMap(size)
    this.accounts = new BoundedMap(size)
  }

  rowsFor(events: EventRow[]): { aliases: AliasRow[]; accounts: AccountRow[] } {
    const aliases: AliasRow[] = []
    const accounts: AccountRow[] = []
    let prev: EventRow | undefined
    for (const e of events) {
      // A browser's batch usually carries one identity throughout: look each one up once.
      const same = prev !== undefined && e.project_id === prev.project_id && e.anonymous_id === prev.anonymous_id && e.user_id === prev.user_id && e.account_id === prev.account_id
      prev = e
      if (same && e.event !== IDENTIFY) continue
      if (e.user_id && e.anonymous_id && e.anonymous_id !== e.user_id) {
        const key = `${e.project_id}\u0000${e.anonymous_id}`
        if (e.event === IDENTIFY || this.aliases.get(key) !== e.user_id) {
          this.aliases.set(key, e.user_id)
          aliases.push({ project_id: e.project_id, anonymous_id: e.anonymous_id, user_id: e.user_id, updated_at: e.timestamp })
        }
      }
      // Keyed like the events' user_key: an anonymous visitor of a known account belongs to it too.
      const user = e.user_id || e.anonymous_id
      if (user && e.account_id) {
        const key = `${e.project_id}\u0000${user}`
        if (this.accounts.get(key) !== e.account_id) {
          this.accounts.set(key, e.account_id)
          accounts.push({ project_id: e.project_id, user_id: user, account_id: e.account_id, updated_at: e.timestamp })
        }
      }
    }
    return { aliases, accounts }
  }

  /** Forget mappings of a batch that was not acknowledged, so its retry writes them. */
  forget(events: EventRow[]): void {
    for (const e of events) {
      this.aliases.delete(`${e.project_id}\u0000${e.anonymous_id}`)
      this.accounts.delete(`${e.project_id}\u0000${e.user_id || e.anonymous_id}`)
    }
  }
}
