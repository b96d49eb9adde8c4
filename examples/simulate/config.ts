import { z } from 'zod'

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
const probability = z.number().min(0).max(1)

/**
 * Every knob of the simulated world. The defaults describe the ground truth the reports must
 * recover: two features raise retention, one is used only by already-active users and does
 * nothing, one feature's use at the account level drives renewal.
 */
export const SimConfigSchema = z.object({
  seed: z.number().int().nonnegative().default(1),
  /** Last simulated day is the day before this one (UTC). Defaults to today. */
  endDate: day.optional(),
  days: z.number().int().min(14).max(3650).default(90),
  /** How many users join over the window (accounts are sized from it). */
  users: z.number().int().min(1).max(5_000_000).default(300),
  /** Mean team size an account grows to; the first user signs the account up. */
  meanTeamSize: z.number().min(1).max(200).default(4),
  /** Origin and base path of the product the events describe (the demo app). */
  siteUrl: z.string().url().default('http://localhost:8787/demo'),

  activity: z
    .object({
      /** Daily return probability of a typical user shortly after joining, before feature effects. */
      baseDaily: probability.default(0.5),
      /** The return probability decays towards floor × base with this time constant (days). */
      decayDays: z.number().positive().default(10),
      floor: probability.default(0.35),
      weekendFactor: probability.default(0.3),
      /** Spread of each user's activity propensity (log-normal, median 1). */
      propensitySigma: z.number().min(0).max(2).default(0.6),
      /** Share of users with a second (non-overlapping) device. */
      secondDeviceShare: probability.default(0.15),
    })
    .default({
      baseDaily: 0.5,
      decayDays: 10,
      floor: 0.35,
      weekendFactor: 0.3,
      propensitySigma: 0.6,
      secondDeviceShare: 0.15,
    }),

  /**
   * Causal effect: adopters' daily return probability is multiplied by this from `effectFromDay`
   * on. The effect starts after the first week (scheduled reports and synced data bring people
   * back once they arrive), so adopting does not change week-1 activity — which keeps a report
   * that adjusts for week-1 activity able to see it.
   */
  effectFromDay: z.number().int().min(1).max(60).default(7),
  retentionMultipliers: z
    .record(z.string(), z.number().min(0.1).max(10))
    .default({ 'reports.schedule': 2.0, 'integrations.connect': 1.8 }),

  /** Chance that a new user adopts a feature in their first session (independent of how active they are). */
  adoption: z.record(z.string(), probability).default({
    'reports.schedule': 0.35,
    'integrations.connect': 0.4,
    'projects.export_csv': 0.3,
    'projects.comment': 0.4,
    search: 0.5,
    'team.invite': 0.15,
  }),
  /** Chance an adopter uses an adopted feature again on a later active day. */
  reuse: probability.default(0.45),

  power: z
    .object({
      feature: z.string().default('projects.bulk_edit'),
      /** Used only on days when the user has already been active on this many days of their first week. */
      minWeek1ActiveDays: z.number().int().min(1).max(7).default(5),
      /** Chance that a user reaching that many active days becomes a power user. */
      adoptProbability: probability.default(0.6),
      /** Chance that a power user uses the feature on a later active day. */
      useProbability: probability.default(0.5),
    })
    .default({ feature: 'projects.bulk_edit', minWeek1ActiveDays: 5, adoptProbability: 0.6, useProbability: 0.5 }),

  renewal: z
    .object({
      feature: z.string().default('dashboard.share'),
      lookbackDays: z.number().int().min(7).max(365).default(90),
      /** Share of accounts whose people share dashboards. */
      accountTrait: probability.default(0.5),
      /** Per active day, for users of such accounts (and, rarely, of others). */
      useProbability: probability.default(0.3),
      strayUseProbability: probability.default(0.003),
      monthlyWith: probability.default(0.97),
      monthlyWithout: probability.default(0.72),
      annualWith: probability.default(0.93),
      annualWithout: probability.default(0.55),
      /** A churned account comes back later with this chance. */
      reactivation: probability.default(0.08),
    })
    .default({
      feature: 'dashboard.share',
      lookbackDays: 90,
      accountTrait: 0.5,
      useProbability: 0.3,
      strayUseProbability: 0.003,
      monthlyWith: 0.97,
      monthlyWithout: 0.72,
      annualWith: 0.93,
      annualWithout: 0.55,
      reactivation: 0.08,
    }),

  billing: z
    .object({
      annualShare: probability.default(0.35),
      currency: z.string().length(3).default('USD'),
    })
    .default({ annualShare: 0.35, currency: 'USD' }),

  /** Share of accounts where one seat is used by several people at once. */
  seatSharingShare: probability.default(0.06),

  /**
   * A feature that does nothing but is used most by the people who come back anyway: on each
   * active day of their first `days` days, with chance `use` × propensity^`exponent` (at most 0.9).
   * Nothing the events carry shows the propensity itself, so an observational report can flag
   * it; only an experiment tells. Its users reuse it like any adopted feature.
   */
  confounded: z
    .object({ feature: z.string(), use: probability, exponent: z.number().min(0).max(5), days: z.number().int().min(1).max(7).default(7) })
    .optional(),

  /**
   * Self-serve sign-ups: `users` people in free workspaces (no contract, so outside the account
   * book) of one to `maxTeam` people, joining on days `fromDay` … `toDay − 1`.
   */
  freeSignups: z
    .object({
      users: z.number().int().min(1).max(1_000_000),
      fromDay: z.number().int().min(0),
      toDay: z.number().int().min(1),
      maxTeam: z.number().int().min(1).max(20).default(3),
    })
    .optional(),

  /**
   * Onboarding nudges that ran on days `fromDay` … `toDay − 1`, recorded as the SDK records them
   * (simulate/nudges.ts): the arm by the holdout hash, a banner on a signed-in person's page
   * views in their first `firstDays` days until they use the feature, at most `maxShows` times
   * `minHoursBetween` hours apart. Shown the banner, a person goes on to use the feature with
   * chance `follow` (a share `click` of them through its link, the others through the menu),
   * dismisses it with chance `dismiss`, else ignores it.
   */
  nudges: z
    .array(
      z.object({
        id: z.string().min(1),
        feature: z.string(),
        fromDay: z.number().int().min(0),
        toDay: z.number().int().min(1),
        holdoutShare: probability,
        firstDays: z.number().int().min(1).max(365).default(14),
        maxShows: z.number().int().min(1).max(100).default(3),
        minHoursBetween: z.number().min(0).default(24),
        follow: probability,
        click: probability.default(1),
        dismiss: probability.default(0),
      }),
    )
    .default([]),
})

export type SimConfigInput = z.input<typeof SimConfigSchema>
export type SimConfig = z.output<typeof SimConfigSchema> & { endDate: string }

/** Validates and fills defaults; the end date defaults to today (UTC). */
export function parseSimConfig(input: SimConfigInput = {}, now = new Date()): SimConfig {
  const parsed = SimConfigSchema.parse(input)
  return { ...parsed, endDate: parsed.endDate ?? now.toISOString().slice(0, 10) }
}
