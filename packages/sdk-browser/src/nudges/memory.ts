import { browserKV, readJSON, type KV } from '../storage.js'
import type { NudgeMemory } from './types.js'

const KEY = 'tenure_nudges'
/** Entries kept; the oldest shown go first. */
const MAX_ENTRIES = 100

type Book = Record<string, NudgeMemory>

/**
 * Per person and nudge, what this browser remembers (shows, dismissal, arm…), in one
 * localStorage entry. Keyed by the anonymous id: it is stable across identify() and replaced
 * when another person signs in on this browser, so one person's dismissals never hide a nudge
 * from the next.
 */
export class NudgeMemories {
  constructor(private readonly kv: KV = browserKV()) {}

  get(anonymousId: string, nudgeId: string): NudgeMemory {
    return readJSON<Book>(this.kv, KEY)?.[`${anonymousId}|${nudgeId}`] ?? {}
  }

  update(anonymousId: string, nudgeId: string, change: (m: NudgeMemory) => NudgeMemory): NudgeMemory {
    const book = readJSON<Book>(this.kv, KEY) ?? {}
    const key = `${anonymousId}|${nudgeId}`
    const next = change({ ...book[key] })
    book[key] = next
    const keys = Object.keys(book)
    if (keys.length > MAX_ENTRIES) {
      keys.sort((a, b) => (book[a]!.t ?? 0) - (book[b]!.t ?? 0))
      for (const k of keys.slice(0, keys.length - MAX_ENTRIES)) if (k !== key) delete book[k]
    }
    this.kv.set(KEY, JSON.stringify(book))
    return next
  }
}
