import type { FlaggedUser } from '../accounts/seat-sharing.js'

const hm = (iso: string) => iso.slice(11, 16)
const round1 = (x: number) => Math.round(x * 10) / 10

/** Seat-sharing evidence as sentences a customer-success manager can read out. */
export function sharingSentences(u: FlaggedUser): string[] {
  const out: string[] = []
  if (u.reasons.includes('overlapping_sessions')) {
    const ex = u.overlaps[0]
    const example = ex
      ? ` For example on ${ex.day}: a ${ex.a.device || 'device'} session ${hm(ex.a.start)}–${hm(ex.a.end)} and a ${ex.b.device || 'device'} session ${hm(ex.b.start)}–${hm(ex.b.end)} (UTC) overlapped for ${Math.round(ex.overlapSeconds / 60)} minutes.`
      : ''
    out.push(`${u.userId} was signed in on two devices at the same time on ${u.overlapDays} day${u.overlapDays === 1 ? '' : 's'}.${example}`)
  }
  if (u.reasons.includes('heavy_use')) {
    out.push(`${u.userId} is active ${round1(u.activity.hoursPerActiveDay)} hours per active day, against a median of ${round1(u.activity.peerMedianHoursPerDay)} hours for comparable people, on ${u.activity.devices} device${u.activity.devices === 1 ? '' : 's'}.`)
  }
  return out
}
