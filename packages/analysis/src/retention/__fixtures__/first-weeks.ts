import type { PersonRow } from '../covariates.js'
import { seededRandom } from '../placebo.js'

/** What a row says of where a person came from and who they are, when nothing is known. */
export const UNKNOWN_ORIGIN = { device: '', source: '', country: '', landing: '', founder: false, traits: {}, accountTraits: {}, measures: {}, weekday: 0, dayPart: '', accountAge: 0, client: '' }

/**
 * `count` people with varied first weeks whose return rises with their active days, drawn from
 * `seed`: `use` picks each one's features from their active days, `more` sets other fields (both
 * draw from the same sequence, after the fields before them).
 */
export function firstWeeks(
  count: number,
  seed: number,
  use: (random: () => number, active: number) => number[],
  more: (random: () => number) => Partial<PersonRow> = () => ({}),
): PersonRow[] {
  const random = seededRandom(seed)
  return Array.from({ length: count }, () => {
    const active = 1 + Math.floor(random() * 7)
    return {
      retained: random() < 0.1 + active * 0.08,
      active,
      late: Math.min(3, Math.floor(random() * 4)),
      events: active * (1 + Math.floor(random() * 20)),
      sessions: active + Math.floor(random() * 5),
      used: use(random, active),
      accountSize: Math.floor(random() * 30),
      plan: random() < 0.5 ? 'pro' : 'free',
      joined: Math.floor(random() * 30),
      ...UNKNOWN_ORIGIN,
      ...more(random),
    }
  })
}
