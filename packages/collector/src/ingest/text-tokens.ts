import type { ClickHouseClient } from '@clickhouse/client'
import { publicTexts, publishTexts, textKeyFor, textThreshold, textToken, tokensAtThreshold } from '@tenure/analysis'
import type { EventRow } from './rows.js'

/** The one kept attribute whose value is visible text (see the SDK's kept attributes). */
export const LABEL_ATTR = 'aria-label'

/** How often tokens seen lately are checked against the people counts in the store. */
export const CHECK_MS = 2_000
/**
 * How long a seen text stays in memory for that check: longer than the batcher takes to insert
 * its event (the count is fed at insert), so the check that sees it reach k still has its text.
 */
export const HOLD_MS = 30_000
/** Texts held per collector at most; past it a text waits for its next sighting. */
const MAX_HELD = 100_000
/** Tokens remembered per project (text → token); cleared when full. */
const MAX_CACHED = 20_000

interface Held {
  text: string
  seen: number
}

interface ProjectTexts {
  key: Buffer
  tokens: Map<string, string>
  /** Tokens already in the public dictionary: nothing to check. */
  published: Set<string>
  /** Tokens not known to be public, with their text, while a check may still see them reach k. */
  held: Map<string, Held>
}

/**
 * Element text (and `aria-label` values) of accepted events becomes tokens before anything is written (spool, store): see
 * `textToken`. The store counts distinct people per token as events are inserted, shared by every
 * collector; this class keeps each recent text in memory only, checks the counts every few
 * seconds, and writes a text to the public dictionary once k people produced it. Below k the text
 * exists only in this process's memory, for at most `HOLD_MS` after it was last seen.
 */
export class TextTokens {
  private readonly projects = new Map<string, Promise<ProjectTexts>>()
  private heldCount = 0
  private timer: NodeJS.Timeout | null = null
  private checking: Promise<void> | null = null

  constructor(
    private readonly client: ClickHouseClient,
    private readonly now: () => number = Date.now,
  ) {}

  /** Loads (or creates) the keys of the given projects, so ingestion needs no store round trip later. */
  async preload(projectIds: Iterable<string>): Promise<void> {
    await Promise.all([...projectIds].map((id) => this.project(id)))
  }

  private project(id: string): Promise<ProjectTexts> {
    let p = this.projects.get(id)
    if (!p) {
      p = (async () => {
        const key = await textKeyFor(this.client, id)
        const published = new Set((await publicTexts(this.client, id)).keys())
        return { key, tokens: new Map(), published, held: new Map() }
      })()
      // A failed load (store down) is retried on the next request instead of being remembered.
      p.catch(() => this.projects.delete(id))
      this.projects.set(id, p)
    }
    return p
  }

  /** A function that replaces the element text of a project's rows with tokens, in place. */
  async forProject(id: string): Promise<(row: EventRow) => void> {
    const p = await this.project(id)
    return (row) => {
      row.element_text = this.token(p, row.element_text)
      for (const el of row.elements) {
        el.text = this.token(p, el.text)
        // An accessible label is text too, and apps often build it from the item ("Delete buy milk").
        const label = el.attrs[LABEL_ATTR]
        if (label) el.attrs[LABEL_ATTR] = this.token(p, label)
      }
    }
  }

  private token(p: ProjectTexts, text: string): string {
    if (!text) return ''
    let t = p.tokens.get(text)
    if (t === undefined) {
      if (p.tokens.size >= MAX_CACHED) p.tokens.clear()
      t = textToken(p.key, text)
      p.tokens.set(text, t)
    }
    if (!p.published.has(t)) {
      const h = p.held.get(t)
      if (h) h.seen = this.now()
      else if (this.heldCount < MAX_HELD) {
        p.held.set(t, { text, seen: this.now() })
        this.heldCount++
      }
    }
    return t
  }

  start(intervalMs = CHECK_MS): void {
    this.timer ??= setInterval(() => void this.check().catch((err) => console.error('[collector] text check failed', err)), intervalMs)
    this.timer.unref?.()
  }

  /**
   * Publishes the held texts whose tokens reached the project's k in the store, and forgets those
   * not seen for `HOLD_MS`. One check at a time; a failure leaves everything held for the next.
   */
  check(): Promise<void> {
    this.checking ??= this.runCheck().finally(() => {
      this.checking = null
    })
    return this.checking
  }

  private async runCheck(): Promise<void> {
    const startedAt = this.now()
    for (const [id, loading] of this.projects) {
      const p = await loading.catch(() => null)
      if (!p || !p.held.size) continue
      const k = await textThreshold(this.client, id)
      const tokens = [...p.held.keys()]
      const reached = await tokensAtThreshold(this.client, id, tokens, k)
      await publishTexts(this.client, id, reached.map((token) => ({ token, text: p.held.get(token)!.text })))
      for (const t of reached) {
        p.published.add(t)
        p.held.delete(t)
        this.heldCount--
      }
      for (const [t, h] of p.held) {
        if (h.seen < startedAt - HOLD_MS) {
          p.held.delete(t)
          this.heldCount--
        }
      }
    }
  }

  /** Texts held in memory now (for health and tests). */
  get held(): number {
    return this.heldCount
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    await this.checking?.catch(() => {})
  }
}
