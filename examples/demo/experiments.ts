import { createNudge, getNudge, startNudge, stopNudge, type NudgeInput, type Store } from '@tenure/analysis'
import type { SimConfig } from '../simulate/config.js'
import { DAY_MS, parseDay, weekday } from '../simulate/dates.js'

/**
 * The demo history's finished nudge experiments. During a sign-up campaign the growth team ran two
 * onboarding nudges at once, each holding out half of the new users (by the holdout hash), and
 * stopped them a month before today, so everyone they reached has passed day 30:
 *
 * - towards *Schedule a report*, which raises retention in the simulator (×2 daily return from
 *   day 7): its experiment confirms the flag;
 * - towards *Export CSV*, which does nothing but is used most by people who come back anyway
 *   (the simulator's `confounded` feature): the high-retention report flags it, its experiment
 *   does not confirm it.
 */
export interface DemoExperiment {
  /** The simulator's feature key. */
  feature: string
  /** Shown the banner, the share who go on to use the feature, the share of those who get there through its link, and the share who dismiss it. */
  follow: number
  click: number
  dismiss: number
  nudge: NudgeInput & { id: string; holdoutShare: number }
}

// Listed by id, the SDK weighs schedule-report first on a page: shown there, the other waits for the
// next page. In the other order a shown export nudge would delay some people's schedule nudge, and
// so their adoption of a feature that works, and its experiment would see that as an effect.
const AUDIENCE = { firstDays: 14, pages: [], plans: [], anonymous: false }
const FREQUENCY = { maxShows: 3, minHoursBetween: 24 }

export const DEMO_EXPERIMENTS: readonly DemoExperiment[] = [
  {
    feature: 'reports.schedule',
    follow: 0.8,
    click: 0.5,
    dismiss: 0.05,
    nudge: {
      id: 'schedule-report',
      name: 'Schedule your first report',
      featureId: 'reports-schedule',
      audience: AUDIENCE,
      placement: { type: 'banner', position: 'bottom' },
      copy: { title: 'Get your numbers every Monday', body: 'Schedule a report and it arrives in your inbox.', cta: { label: 'Schedule one', url: '/demo/reports.html' } },
      frequency: FREQUENCY,
      holdoutShare: 0.5,
    },
  },
  {
    feature: 'projects.export_csv',
    follow: 0.35,
    click: 0.5,
    dismiss: 0.05,
    nudge: {
      id: 'try-export',
      name: 'Export your projects to CSV',
      featureId: 'projects-export_csv',
      audience: AUDIENCE,
      placement: { type: 'banner', position: 'bottom' },
      copy: { title: 'Take your projects anywhere', body: 'Export any project list to CSV in one click.', cta: { label: 'Export', url: '/demo/projects.html' } },
      frequency: FREQUENCY,
      holdoutShare: 0.5,
    },
  },
]

/** Days after which everyone an experiment reached has passed day 30 and its last day is over. */
const AFTER_DAY_30 = 32
const RUN_DAYS = 14
const MONDAY = 1

/**
 * The days [fromDay, toDay) of a history on which the experiments ran: two weeks from a Monday,
 * ending at least 32 days before the history does. Starting on a weekday fixed by the calendar
 * keeps the experiments' people the same whatever day the demo is loaded on (weekends change
 * who comes back when); null when the history is too short.
 */
export function experimentDays(history: { startDate: string; days: number }): { fromDay: number; toDay: number } | null {
  const latest = history.days - AFTER_DAY_30 - RUN_DAYS
  if (latest < 0) return null
  const fromDay = latest - ((weekday(parseDay(history.startDate) + latest * DAY_MS) - MONDAY + 7) % 7)
  return fromDay >= 0 ? { fromDay, toDay: fromDay + RUN_DAYS } : null
}

/** The simulator's side of the experiments: the nudges as the SDK runs them, on the days they ran. */
export function simulatedNudges(run: { fromDay: number; toDay: number }): SimConfig['nudges'] {
  return DEMO_EXPERIMENTS.map((x) => ({
    id: x.nudge.id,
    feature: x.feature,
    fromDay: run.fromDay,
    toDay: run.toDay,
    holdoutShare: x.nudge.holdoutShare,
    firstDays: AUDIENCE.firstDays,
    maxShows: FREQUENCY.maxShows,
    minHoursBetween: FREQUENCY.minHoursBetween,
    follow: x.follow,
    click: x.click,
    dismiss: x.dismiss,
  }))
}

/**
 * Records the experiments' nudges in the project as the team made them: created, started on the
 * first day of the run and stopped after its last, at those times (the history is being loaded
 * after the fact). Nudges that exist already are left as they are.
 */
export async function recordDemoExperiments(client: Store['client'], projectId: string, history: { startDate: string; days: number }): Promise<number> {
  const run = experimentDays(history)
  if (!run) return 0
  const start = parseDay(history.startDate)
  const at = (day: number, hour: number) => new Date(start + day * DAY_MS + hour * 3_600_000)
  let made = 0
  for (const x of DEMO_EXPERIMENTS) {
    if (await getNudge(client, projectId, x.nudge.id)) continue
    await createNudge(client, projectId, x.nudge, { now: at(run.fromDay - 1, 16) })
    await startNudge(client, projectId, x.nudge.id, { now: at(run.fromDay, 0) })
    await stopNudge(client, projectId, x.nudge.id, { now: at(run.toDay, 0) })
    made++
  }
  return made
}
