import { z } from 'zod'
import { parsePathPattern, PathPatternError } from '../features/path-pattern.js'
import { FeatureId } from '../features/rules.js'
import { parseSelector, SelectorError } from '../features/selector.js'

/**
 * What a nudge is (metrics spec §7): who sees it, where, what it says, how often, and the share
 * held out. Copy is plain text: the SDK renders it with textContent, never as markup.
 */

export const DEFAULT_HOLDOUT_SHARE = 0.1

/** Absolute http(s) URLs, or paths on the same site; never javascript:, data: or protocol-relative. */
export function isSafeLinkUrl(url: string): boolean {
  if (/[\u0000-\u0020\u007f\\]/.test(url)) return false
  if (url.startsWith('/')) return !url.startsWith('//')
  if (/^[?#]/.test(url)) return true
  try {
    const u = new URL(url)
    return u.protocol === 'https:' || u.protocol === 'http:'
  } catch {
    return false
  }
}

const refineWith = <E extends Error>(check: (s: string) => unknown, ErrorType: new (...a: never[]) => E) => (s: string, ctx: z.RefinementCtx) => {
  try {
    check(s)
  } catch (e) {
    if (e instanceof ErrorType) ctx.addIssue({ code: 'custom', message: e.message })
    else throw e
  }
}

/** The feature path-pattern syntax: `*` within a segment, `**` across, `:name` one segment. */
const PagePattern = z.string().min(1).max(500).superRefine(refineWith(parsePathPattern, PathPatternError))
/** The feature selector subset, so the SDK's querySelector never meets a selector it cannot parse. */
const Selector = z.string().min(1).max(500).superRefine(refineWith(parseSelector, SelectorError))

export const Audience = z
  .object({
    /** Users in their first N calendar days (day 0 = first activity). */
    firstDays: z.number().int().min(1).max(365).default(14),
    /** Page path patterns; empty = every page. */
    pages: z.array(PagePattern).max(20).default([]),
    /** Account plans (imported account data, else the `plan` trait of group()); empty = every plan. */
    plans: z.array(z.string().trim().min(1).max(100)).max(50).default([]),
    /**
     * Show to visitors not signed in (no identify() yet) as well. Off by default: onboarding is
     * for new users of the product, and a visitor on the sign-in page would otherwise use up the
     * frequency cap before they ever reach it.
     */
    anonymous: z.boolean().default(false),
  })
  .strict()

export const Placement = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('tooltip'),
      selector: Selector,
      side: z.enum(['top', 'bottom', 'left', 'right']).default('bottom'),
      /** When no element matches the selector on the page: show a banner instead, or nothing. */
      fallback: z.enum(['banner', 'none']).default('banner'),
    })
    .strict(),
  z.object({ type: z.literal('banner'), position: z.enum(['top', 'bottom']).default('bottom') }).strict(),
])

export const Copy = z
  .object({
    title: z.string().trim().max(120).optional(),
    body: z.string().trim().min(1).max(500),
    cta: z
      .object({
        label: z.string().trim().min(1).max(60),
        url: z.string().max(2000).refine(isSafeLinkUrl, 'must be an http(s) URL or a path starting with "/"').optional(),
      })
      .strict()
      .optional(),
  })
  .strict()

export const Frequency = z
  .object({
    /** Times the nudge is shown to one user at most. */
    maxShows: z.number().int().min(1).max(100).default(3),
    /** Hours between two showings to the same user. */
    minHoursBetween: z.number().min(0).max(24 * 90).default(24),
  })
  .strict()

/** Path words of the public nudge routes (`/v1/nudges/active`), which an id must not shadow. */
const RESERVED_IDS = ['active', 'eligibility']

export const NudgeId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'lower-case letters, digits, "_" and "-", at most 64')
  .refine((s) => !RESERVED_IDS.includes(s), 'is a reserved word')

export const NudgeInput = z
  .object({
    id: NudgeId.optional(),
    name: z.string().trim().min(1).max(200),
    /** The feature definition the nudge steers users to. */
    featureId: FeatureId,
    audience: Audience.default({ firstDays: 14, pages: [], plans: [], anonymous: false }),
    placement: Placement,
    copy: Copy,
    frequency: Frequency.default({ maxShows: 3, minHoursBetween: 24 }),
    /** Share of eligible users never shown the nudge, by a stable hash of user id + nudge id. */
    holdoutShare: z.number().min(0).max(0.9).default(DEFAULT_HOLDOUT_SHARE),
  })
  .strict()
export type NudgeInput = z.input<typeof NudgeInput>
export type NudgeConfig = Omit<z.output<typeof NudgeInput>, 'id'>

/** `stopped` is paused: it can be resumed (started again). `archived` is final: off every page, out of the list, report and history kept. */
export type NudgeStatus = 'draft' | 'active' | 'stopped' | 'archived'
export const NUDGE_STATUSES = ['draft', 'active', 'stopped', 'archived'] as const satisfies readonly NudgeStatus[]

/** A live nudge as the collector checks it: configuration and id. */
export type ActiveNudge = NudgeConfig & { id: string }

/** A stored nudge: its configuration, state and history markers. */
export interface Nudge extends NudgeConfig {
  id: string
  status: NudgeStatus
  version: number
  createdAt: string
  updatedAt: string
  /** First start; the report counts from here. */
  startedAt: string | null
  stoppedAt: string | null
}

/**
 * What the SDK receives for an active nudge: only what it needs to decide and draw. Page
 * patterns arrive compiled to anchored regular expressions; plans and the new-user window are
 * checked by the collector, so plan names never reach the browser.
 */
export interface PublicNudge {
  id: string
  pages: string[]
  placement: z.output<typeof Placement>
  copy: z.output<typeof Copy>
  frequency: z.output<typeof Frequency>
  holdoutShare: number
}

export function toPublic(n: ActiveNudge): PublicNudge {
  return {
    id: n.id,
    pages: n.audience.pages.map(parsePathPattern),
    placement: n.placement,
    copy: n.copy,
    frequency: n.frequency,
    holdoutShare: n.holdoutShare,
  }
}
