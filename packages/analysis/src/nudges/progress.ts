/**
 * How far a nudge report is from measurable lift: per metric, how many more users each arm
 * needs whose window is over, and at the rate users have been entering each arm since the
 * start, roughly when that will be.
 */
export interface ArmProgress {
  /** Users whose window is over (counted in n). */
  measured: number
  /** Users already in the arm whose window is not over yet: they count once it is. */
  waiting: number
  /** New users still to enter the arm, beyond those waiting. */
  moreUsers: number
  /** Users entering the arm per day since the start; null before the first. */
  perDay: number | null
}

export interface MetricProgress {
  enough: boolean
  shown: ArmProgress
  heldOut: ArmProgress
  /** Days from as-of until both arms have `minN` measured users; null when a rate is unknown (no users yet). */
  etaDays: number | null
  etaDate: string | null
}

export interface ArmCounts {
  /** Users in the arm so far. */
  users: number
  measured: number
  waiting: number
}

const DAY_MS = 86_400_000

function arm(c: ArmCounts, minN: number, days: number): ArmProgress {
  return {
    measured: c.measured,
    waiting: c.waiting,
    moreUsers: Math.max(0, minN - c.measured - c.waiting),
    perDay: c.users > 0 ? c.users / days : null,
  }
}

/**
 * `windowDays` is how long after entering an arm a user becomes measurable (the adoption window,
 * or N + 1 days for day-N retention): the last user needed enters, then their window must pass.
 * Users waiting are assumed measurable within the same window.
 */
export function metricProgress(
  shown: ArmCounts,
  heldOut: ArmCounts,
  opts: { minN: number; windowDays: number; startedAt: string | null; asOfMs: number },
): MetricProgress {
  const start = opts.startedAt ? Date.parse(opts.startedAt) : opts.asOfMs
  // At least one day, so a nudge started minutes ago does not extrapolate from a few seconds.
  const days = Math.max(1, (opts.asOfMs - start) / DAY_MS)
  const s = arm(shown, opts.minN, days)
  const h = arm(heldOut, opts.minN, days)
  const enough = shown.measured >= opts.minN && heldOut.measured >= opts.minN
  if (enough) return { enough, shown: s, heldOut: h, etaDays: 0, etaDate: new Date(opts.asOfMs).toISOString().slice(0, 10) }
  const armDays = (a: ArmProgress): number | null => {
    if (a.measured >= opts.minN) return 0
    if (a.moreUsers === 0) return opts.windowDays
    return a.perDay ? a.moreUsers / a.perDay + opts.windowDays : null
  }
  const ds = armDays(s)
  const dh = armDays(h)
  const etaDays = ds === null || dh === null ? null : Math.ceil(Math.max(ds, dh))
  return { enough, shown: s, heldOut: h, etaDays, etaDate: etaDays === null ? null : new Date(opts.asOfMs + etaDays * DAY_MS).toISOString().slice(0, 10) }
}

/** One sentence for the report: what is missing and when it may be there. */
export function progressText(label: string, p: MetricProgress, minN: number): string {
  if (p.enough) return `${label}: measurable now.`
  const need = (name: string, a: ArmProgress) =>
    a.measured >= minN ? null : `${a.moreUsers} more ${name} users${a.waiting ? ` (besides ${a.waiting} whose window is not over)` : ''}`
  const parts = [need('shown', p.shown), need('held-out', p.heldOut)].filter((x): x is string => x !== null)
  const rate = (a: ArmProgress) => (a.perDay === null ? 'none yet' : `${a.perDay < 10 ? a.perDay.toFixed(1) : Math.round(a.perDay)} a day`)
  const when = p.etaDate
    ? `at today's rate (shown ${rate(p.shown)}, held out ${rate(p.heldOut)}) about ${p.etaDate}, in ${p.etaDays} days`
    : 'no estimate of when until users enter both arms'
  return `${label}: needs ${parts.join(' and ')} to reach ${minN} per arm; ${when}.`
}
