/**
 * A small, seeded B2B product history for the dashboard's end-to-end tests: accounts with
 * quarterly contracts and renewals, their users' events over the last 100 days. Users who
 * schedule reports come back more often and their accounts renew more; `integrations.connect`
 * carries no data-feature key, so it only becomes a feature through a definition.
 */
export interface DemoEvent {
  uuid: string
  event: string
  timestamp: string
  anonymous_id: string
  user_id?: string
  account_id?: string
  session_id: string
  url: string
  title?: string
  feature_key?: string
  elements?: { tag: string; id?: string; classes?: string[]; attrs?: Record<string, string>; text?: string; nth?: number }[]
  properties?: Record<string, unknown>
}

export interface DemoData {
  events: DemoEvent[]
  /** A second device of the first account's first user, at the same hours: sent with another user agent. */
  sharedSeatEvents: DemoEvent[]
  accountsCsv: string
  contractsCsv: string
  accounts: string[]
  users: number
}

/** mulberry32: small, fast, good enough for test fixtures. */
export function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const DAY = 86_400_000
const iso = (ms: number) => new Date(ms).toISOString()
const day = (ms: number) => iso(ms).slice(0, 10)

function addMonths(d: string, n: number): string {
  const [y, m, dd] = d.split('-').map(Number) as [number, number, number]
  const t = new Date(Date.UTC(y, m - 1 + n, 1))
  return `${t.getUTCFullYear()}-${String(t.getUTCMonth() + 1).padStart(2, '0')}-${String(dd).padStart(2, '0')}`
}

function uuidFrom(rand: () => number): string {
  const h = Array.from({ length: 32 }, () => Math.floor(rand() * 16).toString(16))
  h[12] = '4'
  h[16] = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)
  const s = h.join('')
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`
}

const PAGES = ['/dashboard', '/projects', '/reports', '/integrations', '/team', '/billing', '/help']

export function demoData(opts: { seed: number; accounts: number; prefix: string; now?: number }): DemoData {
  const rand = prng(opts.seed)
  const now = opts.now ?? Date.now()
  const today = Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), new Date(now).getUTCDate())
  const events: DemoEvent[] = []
  const accountRows = ['account_id,name,plan,seats']
  const contractRows = ['contract_id,account_id,term_start,term_end,amount,currency,billing_period,seats']
  const accounts: string[] = []
  let users = 0
  const host = 'https://app.planboard.test'

  const click = (base: Omit<DemoEvent, 'uuid' | 'event' | 'timestamp' | 'url'>, t: number, page: string, el: NonNullable<DemoEvent['elements']>[number], key?: string) => {
    events.push({
      ...base, uuid: uuidFrom(rand), event: '$click', timestamp: iso(t), url: `${host}${page}`, ...(key ? { feature_key: key } : {}),
      elements: [{ ...el, nth: 0, ...(key ? { attrs: { 'data-feature': key } } : {}) }, { tag: 'div', classes: ['toolbar'], nth: 0 }, { tag: 'main', nth: 0 }],
    })
  }

  for (let a = 0; a < opts.accounts; a++) {
    const id = `${opts.prefix}${String(a + 1).padStart(2, '0')}`
    accounts.push(id)
    const engaged = rand() < 0.5
    const seats = 3 + Math.floor(rand() * 6)
    accountRows.push(`${id},${opts.prefix.toUpperCase()} Company ${a + 1},${seats > 6 ? 'business' : 'team'},${seats}`)
    // Quarterly terms, the first 7–15 months ago; a term that came due renews or churns.
    let termStart = addMonths(day(today), -(7 + Math.floor(rand() * 9)))
    let price = seats * 20
    let churnDay: number | null = null
    for (let k = 0; ; k++) {
      const termEnd = addMonths(termStart, 3)
      contractRows.push(`${id}-t${k},${id},${termStart},${termEnd},${price},USD,monthly,${seats}`)
      const due = Date.parse(`${termEnd}T00:00:00Z`)
      if (due > today) break
      // Renewals of the last weeks are decided as renewed, so no outcome is left pending or mistaken for churn.
      if (due < today - 35 * DAY && rand() < (engaged ? 0.08 : 0.35)) {
        churnDay = due
        break
      }
      if (rand() < 0.25) price += 20
      termStart = termEnd
    }
    // Users: the last ~200 days, until the account churned.
    const people = 3 + Math.floor(rand() * 5)
    for (let u = 0; u < people; u++) {
      users++
      const userId = `${id}-u${u + 1}`
      const anon = `anon-${id}-${u + 1}`
      const start = today - (5 + Math.floor(rand() * 195)) * DAY
      const scheduler = rand() < (engaged ? 0.75 : 0.2)
      const connector = rand() < 0.5
      const keep = scheduler ? 0.55 : 0.22
      const end = churnDay !== null ? Math.min(churnDay, today) : today
      for (let d = start, first = true; d < end; d += DAY, first = false) {
        if (!first && rand() > keep) continue
        const session = `s-${userId}-${(d - start) / DAY}`
        const base = { anonymous_id: anon, user_id: userId, account_id: id, session_id: session }
        let t = d + (8 + Math.floor(rand() * 9)) * 3_600_000 + Math.floor(rand() * 3_600_000)
        if (first) events.push({ uuid: uuidFrom(rand), event: '$pageview', timestamp: iso(t - 60_000), anonymous_id: anon, session_id: session, url: `${host}/`, title: 'Sign in' })
        const views = 1 + Math.floor(rand() * 3)
        for (let v = 0; v < views; v++) {
          const page = first && v === 0 ? '/dashboard' : PAGES[Math.floor(rand() * PAGES.length)]!
          events.push({ ...base, uuid: uuidFrom(rand), event: '$pageview', timestamp: iso(t), url: `${host}${page}`, title: page.slice(1) })
          t += 30_000 + Math.floor(rand() * 120_000)
        }
        if (scheduler && rand() < 0.7) {
          click(base, t, '/reports', { tag: 'button', classes: ['btn', 'btn-primary'], text: 'Schedule report' }, 'reports.schedule')
          t += 20_000
        }
        if (connector && rand() < 0.5) {
          click(base, t, '/integrations', { tag: 'button', classes: ['btn', 'connect'], text: 'Connect' })
          t += 20_000
        }
        if (rand() < 0.3) {
          click(base, t, '/dashboard', { tag: 'button', classes: ['btn'], text: 'Share' }, 'dashboard.share')
          t += 20_000
        }
        if (rand() < 0.1) events.push({ ...base, uuid: uuidFrom(rand), event: '$pageview', timestamp: iso(t), url: `${host}/billing`, title: 'pricing' })
      }
    }
  }
  // One login used by two people at once: overlapping sessions on two devices, on several days.
  const sharedSeatEvents: DemoEvent[] = []
  const sharer = events.filter((e) => e.user_id === `${opts.prefix}01-u1` && e.event === '$pageview')
  const sharedDays = [...new Set(sharer.map((e) => e.timestamp.slice(0, 10)))].slice(-6)
  for (const d of sharedDays) {
    const first = sharer.find((e) => e.timestamp.startsWith(d))!
    const t0 = Date.parse(first.timestamp)
    // Stretch the first device's session so the two overlap by far more than five minutes.
    events.push({ ...first, uuid: uuidFrom(rand), timestamp: iso(t0 + 40 * 60_000), url: `${host}/projects` })
    for (let k = 0; k < 4; k++) {
      sharedSeatEvents.push({
        ...first, uuid: uuidFrom(rand), session_id: `${first.session_id}-m`, timestamp: iso(t0 + (5 + k * 10) * 60_000), url: `${host}/dashboard`,
      })
    }
  }
  events.sort((x, y) => (x.timestamp < y.timestamp ? -1 : 1))
  return { events, sharedSeatEvents, accountsCsv: accountRows.join('\n') + '\n', contractsCsv: contractRows.join('\n') + '\n', accounts, users }
}
