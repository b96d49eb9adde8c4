import { z } from 'zod'
import { FeatureId } from '../features/rules.js'

/** A segment id: lower-case, URL-safe, stable across versions. */
export const SegmentId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'lower-case letters, digits, "_" and "-", at most 64, starting with a letter or digit')

/**
 * A property a segment or a breakdown reads, by source:
 * `person.<trait>` (identify traits), `account.<trait>` (group traits and imported account
 * columns), `first.<field>` (the person's first page view: referrer, UTM parameters, browser, country…).
 * Names are checked against the stored ones before a query runs; they only ever travel as
 * query parameters.
 */
export const PropertyName = z
  .string()
  .max(140)
  .regex(/^(person|account|first)\.[^\s.][^\n\r]{0,127}$/, 'a property as person.<trait>, account.<trait> or first.<field>')

const Scalar = z.union([z.string().max(500), z.number(), z.boolean()])
const Number_ = z.number()

const PropertyCondition = z.discriminatedUnion('op', [
  z.object({ type: z.literal('property'), property: PropertyName, op: z.enum(['eq', 'neq']), value: Scalar }).strict(),
  z.object({ type: z.literal('property'), property: PropertyName, op: z.enum(['in', 'not_in']), values: z.array(Scalar).min(1).max(500) }).strict(),
  z.object({ type: z.literal('property'), property: PropertyName, op: z.enum(['gt', 'gte', 'lt', 'lte']), value: Number_ }).strict(),
  z.object({ type: z.literal('property'), property: PropertyName, op: z.literal('exists') }).strict(),
])

/** Used the feature on days 0 … withinDays−1 of their first activity. */
const UsedFeature = z
  .object({ type: z.literal('used_feature'), feature: FeatureId, withinDays: z.number().int().min(1).max(365) })
  .strict()

/** Active on at least `minDays` of the `lastDays` complete days before the report's as-of day. */
const ActiveDays = z
  .object({ type: z.literal('active_days'), minDays: z.number().int().min(1).max(3650), lastDays: z.number().int().min(1).max(3650) })
  .strict()
  .refine((c) => c.minDays <= c.lastDays, { message: 'minDays cannot exceed lastDays', path: ['minDays'] })

/** In an account with a contract term ending within `withinDays` days from the report's as-of day. */
const AccountRenewing = z.object({ type: z.literal('account_renewing'), withinDays: z.number().int().min(0).max(3660) }).strict()

export const SegmentCondition = z.discriminatedUnion('type', [PropertyCondition, UsedFeature, ActiveDays, AccountRenewing])
export type SegmentCondition = z.infer<typeof SegmentCondition>
export type PropertyCondition = z.infer<typeof PropertyCondition>

/** Conditions combined with AND (`all`) or OR (`any`). */
export const SegmentDefinition = z
  .object({
    match: z.enum(['all', 'any']).default('all'),
    conditions: z.array(SegmentCondition).min(1).max(20),
  })
  .strict()
export type SegmentDefinition = z.infer<typeof SegmentDefinition>

export const SegmentInput = z
  .object({
    id: SegmentId.optional(),
    name: z.string().min(1).max(200),
    description: z.string().max(2000).default(''),
    definition: SegmentDefinition,
  })
  .strict()
export type SegmentInput = z.input<typeof SegmentInput>

export interface Segment {
  id: string
  version: number
  name: string
  description: string
  definition: SegmentDefinition
  deleted: boolean
  updatedAt: string
}

/** How a report names its segment: a saved one by id, or a definition given inline (JSON text or object). */
export interface SegmentSelector {
  segment?: string | undefined
  segmentDef?: string | SegmentDefinition | undefined
  /**
   * One group of a breakdown: people whose property has this value, within the segment (set by
   * the breakdown reports); value null: active people without a value of it.
   */
  group?: { property: string; value: string | null } | undefined
}
