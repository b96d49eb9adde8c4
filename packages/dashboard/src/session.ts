import { randomBytes } from 'node:crypto'

export interface Session {
  projectId: string
  createdAt: number
  lastSeen: number
}

export interface SessionOptions {
  /** A session ends after this long without a request. */
  idleMs?: number
  /** …and after this long in any case. */
  maxAgeMs?: number
  /** Sessions kept at most (the oldest are dropped first). */
  maxSessions?: number
  now?: () => number
}

/**
 * Dashboard sessions: a random id (sent in a signed cookie) mapped to a project, in memory.
 * The secret key itself never leaves the login request. A restart logs everyone out.
 */
export class Sessions {
  private readonly byId = new Map<string, Session>()
  private readonly idleMs: number
  private readonly maxAgeMs: number
  private readonly maxSessions: number
  private readonly now: () => number

  constructor(opts: SessionOptions = {}) {
    this.idleMs = opts.idleMs ?? 8 * 3600_000
    this.maxAgeMs = opts.maxAgeMs ?? 7 * 24 * 3600_000
    this.maxSessions = opts.maxSessions ?? 10_000
    this.now = opts.now ?? Date.now
  }

  get maxAgeSeconds(): number {
    return Math.floor(this.maxAgeMs / 1000)
  }

  create(projectId: string): string {
    const id = randomBytes(24).toString('base64url')
    const now = this.now()
    this.byId.set(id, { projectId, createdAt: now, lastSeen: now })
    // Map iteration is insertion order: the first entries are the oldest sessions.
    while (this.byId.size > this.maxSessions) this.byId.delete(this.byId.keys().next().value!)
    return id
  }

  /** The live session of an id (touching it), or undefined when unknown or expired. */
  get(id: string | undefined | false): Session | undefined {
    if (!id) return undefined
    const s = this.byId.get(id)
    if (!s) return undefined
    const now = this.now()
    if (now - s.lastSeen > this.idleMs || now - s.createdAt > this.maxAgeMs) {
      this.byId.delete(id)
      return undefined
    }
    s.lastSeen = now
    return s
  }

  delete(id: string | undefined | false): void {
    if (id) this.byId.delete(id)
  }

  get size(): number {
    return this.byId.size
  }
}
