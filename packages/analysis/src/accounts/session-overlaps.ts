import { pushTo } from '../multimap.js'

/** One user's active span on one session and device: first and last event in epoch ms. */
export interface SessionSpan {
  account: string
  userId: string
  session: string
  device: string
  startedMs: number
  endedMs: number
}

export interface OverlapRow {
  account: string
  userId: string
  /** UTC day of the later start. */
  day: string
  a: { session: string; device: string; start: string; end: string }
  b: { session: string; device: string; start: string; end: string }
  /** Whole seconds from the later start to the earlier end, counted as the store's `dateDiff('second', …)` counts them (second boundaries crossed). */
  overlapSeconds: number
}

const utf8 = (s: string) => Buffer.from(s, 'utf8')

/**
 * An instant as the store prints a UTC DateTime64(3): `YYYY-MM-DD hh:mm:ss.sss`. Written here, for
 * the overlapping spans only, instead of read as text for every span.
 */
export function storeTime(ms: number): string {
  const iso = new Date(ms).toISOString()
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`
}

/** Byte-wise comparison of UTF-8 text, as the store orders strings. */
function compareText(x: string, y: string): number {
  return x === y ? 0 : Buffer.compare(utf8(x), utf8(y))
}

const secondsCrossed = (fromMs: number, toMs: number) => Math.floor(toMs / 1000) - Math.floor(fromMs / 1000)

/**
 * Pairs of one user's spans whose times overlap by at least `minSeconds`, the pair written with
 * the lesser (session, device) first. Spans sorted by start are swept, so each span is compared only
 * with the spans that start before it ends. Ordered by account, user, first span's start, then the
 * sessions and devices, so equal inputs give equal outputs.
 */
export function sessionOverlaps(spans: readonly SessionSpan[], minSeconds: number): OverlapRow[] {
  const byUser = new Map<string, SessionSpan[]>()
  for (const s of spans) {
    const key = `${s.account}\u0000${s.userId}`
    pushTo(byUser, key, s)
  }
  const out: OverlapRow[] = []
  for (const list of byUser.values()) {
    list.sort((x, y) => x.startedMs - y.startedMs)
    for (let i = 0; i < list.length; i++) {
      const s = list[i]!
      for (let j = i + 1; j < list.length && list[j]!.startedMs < s.endedMs; j++) {
        const t = list[j]!
        if (!(s.startedMs < t.endedMs && t.startedMs < s.endedMs)) continue
        const laterStart = Math.max(s.startedMs, t.startedMs)
        const overlap = secondsCrossed(laterStart, Math.min(s.endedMs, t.endedMs))
        if (overlap < minSeconds) continue
        const sFirst = compareText(s.session, t.session) < 0 || (s.session === t.session && compareText(s.device, t.device) < 0)
        const [a, b] = sFirst ? [s, t] : [t, s]
        out.push({
          account: s.account, userId: s.userId, day: new Date(laterStart).toISOString().slice(0, 10),
          a: { session: a.session, device: a.device, start: storeTime(a.startedMs), end: storeTime(a.endedMs) },
          b: { session: b.session, device: b.device, start: storeTime(b.startedMs), end: storeTime(b.endedMs) },
          overlapSeconds: overlap,
        })
      }
    }
  }
  return out.sort((x, y) =>
    compareText(x.account, y.account) || compareText(x.userId, y.userId) || compareText(x.a.start, y.a.start) ||
    compareText(x.a.session, y.a.session) || compareText(x.a.device, y.a.device) || compareText(x.b.session, y.b.session) || compareText(x.b.device, y.b.device))
}
