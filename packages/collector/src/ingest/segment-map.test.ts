import { describe, expect, it } from 'vitest'
import { messageUuid, segmentToEvent } from './segment-map.js'
import { SegmentMessageSchema } from '../schema/segment.js'

describe('Segment mapping', () => {
  it('turns a messageId into a stable UUID', () => {
    const a = messageUuid('node-next-1668208232027-743be593-7789-4b74-8078-cbcc8894c586')
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(messageUuid('node-next-1668208232027-743be593-7789-4b74-8078-cbcc8894c586')).toBe(a)
    expect(messageUuid('743BE593-7789-4B74-8078-CBCC8894C586')).toBe('743be593-7789-4b74-8078-cbcc8894c586')
    expect(messageUuid(undefined)).not.toBe(messageUuid(undefined))
  })

  it('maps each message type', () => {
    const parse = (m: object) => segmentToEvent(SegmentMessageSchema.parse(m), 1000)
    expect(parse({ type: 'group', userId: 7, groupId: 'acme', traits: { plan: 'pro' } })).toMatchObject({ event: '$group', user_id: '7', account_id: 'acme', properties: { plan: 'pro' }, timestamp: 1000 })
    expect(parse({ type: 'alias', userId: 'u', previousId: 'old' })).toMatchObject({ event: '$identify', anonymous_id: 'old', user_id: 'u', properties: { $alias: true } })
    expect(parse({ type: 'page', anonymousId: 'a', name: 'Home', context: { page: { url: 'https://x.io/', title: 'X' } } })).toMatchObject({ event: '$pageview', url: 'https://x.io/', title: 'X', properties: { name: 'Home' } })
    expect(parse({ type: 'track', userId: 'u', event: 'Paid', context: { groupId: 'g' }, timestamp: '2026-01-05T10:00:00Z' })).toMatchObject({ event: 'Paid', account_id: 'g', timestamp: '2026-01-05T10:00:00Z' })
  })
})
