import { z } from 'zod'
import { LIMITS } from './batch.js'

/**
 * Messages of the Segment HTTP tracking API (track, identify, page, screen, group, alias), as sent
 * by any Segment library. Unknown fields (integrations, _metadata…) are allowed and ignored.
 */
const short = z.string().max(LIMITS.stringShort)
/** Segment ids may be numbers in some libraries. */
const id = z.union([short, z.number()]).transform(String)
const record = z.record(z.string().max(LIMITS.stringShort), z.unknown())

export const SegmentContextSchema = z.looseObject({
  userAgent: z.string().max(1024).optional(),
  ip: z.string().max(64).optional(),
  groupId: id.optional(),
  page: z
    .looseObject({
      url: z.string().max(LIMITS.stringUrl).optional(),
      referrer: z.string().max(LIMITS.stringUrl).optional(),
      title: z.string().max(512).optional(),
    })
    .optional(),
  library: z.looseObject({ name: short.optional(), version: short.optional() }).optional(),
})

export const SEGMENT_TYPES = ['track', 'identify', 'page', 'screen', 'group', 'alias'] as const
export type SegmentType = (typeof SEGMENT_TYPES)[number]

export const SegmentMessageSchema = z
  .looseObject({
    type: z.enum(SEGMENT_TYPES),
    messageId: short.optional(),
    timestamp: short.optional(),
    originalTimestamp: short.optional(),
    userId: id.nullish(),
    anonymousId: id.nullish(),
    event: short.optional(),
    name: short.nullish(),
    category: short.nullish(),
    properties: record.nullish(),
    traits: record.nullish(),
    groupId: id.optional(),
    previousId: id.optional(),
    context: SegmentContextSchema.optional(),
  })
  .superRefine((m, ctx) => {
    if (!m.userId && !m.anonymousId) ctx.addIssue({ code: 'custom', path: ['userId'], message: 'userId or anonymousId is required' })
    if (m.type === 'track' && !m.event) ctx.addIssue({ code: 'custom', path: ['event'], message: 'track needs an event name' })
    if (m.type === 'group' && !m.groupId) ctx.addIssue({ code: 'custom', path: ['groupId'], message: 'group needs a groupId' })
    if (m.type === 'alias' && (!m.previousId || !m.userId)) ctx.addIssue({ code: 'custom', path: ['previousId'], message: 'alias needs previousId and userId' })
  })

export type SegmentMessage = z.infer<typeof SegmentMessageSchema>

/** `POST /v1/batch` in Segment's shape. */
export const SegmentBatchSchema = z.looseObject({
  batch: z.array(z.unknown()).min(1).max(LIMITS.eventsPerBatch),
  writeKey: short.optional(),
  sentAt: short.optional(),
  context: z.record(z.string(), z.unknown()).optional(),
})
