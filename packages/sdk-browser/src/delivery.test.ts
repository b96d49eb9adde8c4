import { describe, expect, it } from 'vitest'
import { Delivery, LEASE_MS } from './delivery.js'
import { utf8Length } from './queue/bytes.js'
import { MAX_BATCH_BYTES } from './queue/batch.js'
import { PersistedQueue } from './queue/persisted.js'
import { memoryKV, type KV } from './storage.js'
import type { SendResult, Transport } from './transport.js'
import type { WireEvent } from './types.js'

const ev = (i: number, pad = 0): WireEvent => ({
  uuid: `0190a0b0-0000-7000-8000-${String(i).padStart(12, '0')}`,
  event: 'e',
  timestamp: i,
  anonymous_id: 'a',
  ...(pad ? { properties: { pad: 'x'.repeat(pad) } } : {}),
})
const item = (e: WireEvent) => ({ e, n: utf8Length(JSON.stringify(e)) })

interface Sent {
  body: { write_key: string; sent_at: number; events: WireEvent[] }
  bytes: number
}

function setup(opts: { answers?: SendResult[]; beacon?: boolean[]; online?: boolean; kv?: KV } = {}) {
  const kv = opts.kv ?? memoryKV()
  const queue = new PersistedQueue(kv, 'q', { maxEvents: 10_000, maxBytes: 10_000_000 })
  const sent: Sent[] = []
  const beacons: Sent[] = []
  const wakes: number[] = []
  const answers = [...(opts.answers ?? [])]
  const beaconAnswers = [...(opts.beacon ?? [])]
  let now = 1_000_000
  let online = opts.online ?? true
  const transport: Transport = {
    async send(body) {
      sent.push({ body: JSON.parse(body), bytes: utf8Length(body) })
      return answers.shift() ?? { status: 200 }
    },
    beacon(body) {
      const ok = beaconAnswers.shift() ?? true
      if (ok) beacons.push({ body: JSON.parse(body), bytes: utf8Length(body) })
      return ok
    },
  }
  const delivery = new Delivery({
    queue,
    transport,
    writeKey: 'wk_test',
    now: () => now,
    random: () => 0,
    online: () => online,
    wake: (ms) => wakes.push(ms),
  })
  return {
    kv,
    queue,
    delivery,
    sent,
    beacons,
    wakes,
    tick: (ms: number) => (now += ms),
    setOnline: (v: boolean) => (online = v),
    uuids: (list: Sent[]) => list.flatMap((s) => s.body.events.map((e) => e.uuid)),
  }
}

describe('Delivery.flush', () => {
  it('sends queued events once and empties the queue', async () => {
    const t = setup()
    t.queue.push([item(ev(1)), item(ev(2))])
    await t.delivery.flush()
    await t.delivery.flush()
    expect(t.sent).toHaveLength(1)
    expect(t.sent[0]!.body).toMatchObject({ write_key: 'wk_test', sent_at: 1_000_000 })
    expect(t.uuids(t.sent)).toEqual([ev(1).uuid, ev(2).uuid])
    expect(t.queue.size()).toBe(0)
  })

  it('splits a backlog into bodies under the keepalive limit', async () => {
    const t = setup()
    t.queue.push(Array.from({ length: 60 }, (_, i) => item(ev(i, 3000))))
    await t.delivery.flush()
    expect(t.sent.length).toBe(4)
    for (const s of t.sent) expect(s.bytes).toBeLessThanOrEqual(MAX_BATCH_BYTES)
    expect(new Set(t.uuids(t.sent)).size).toBe(60)
    expect(t.queue.size()).toBe(0)
  })

  it('keeps events on network failure and retries with growing backoff', async () => {
    const t = setup({ answers: [{ status: 0 }, { status: 500 }, { status: 502 }, { status: 200 }] })
    t.queue.push([item(ev(1))])
    await t.delivery.flush()
    expect(t.wakes).toEqual([500])
    expect(t.queue.size()).toBe(1)
    // Too early: nothing is sent during the wait.
    await t.delivery.flush()
    expect(t.sent).toHaveLength(1)
    t.tick(500)
    await t.delivery.flush()
    t.tick(1000)
    await t.delivery.flush()
    expect(t.wakes).toEqual([500, 1000, 2000])
    t.tick(2000)
    await t.delivery.flush()
    expect(t.sent.map((s) => s.body.events[0]!.uuid)).toEqual(Array(4).fill(ev(1).uuid))
    expect(t.queue.size()).toBe(0)
    // Success resets the backoff.
    t.queue.push([item(ev(2))])
    await t.delivery.flush()
    expect(t.sent).toHaveLength(5)
  })

  it('honours Retry-After on 429 and 503', async () => {
    const t = setup({ answers: [{ status: 429, retryAfterMs: 7000 }, { status: 503, retryAfterMs: 12_000 }] })
    t.queue.push([item(ev(1))])
    await t.delivery.flush()
    t.tick(6999)
    await t.delivery.flush()
    expect(t.sent).toHaveLength(1)
    t.tick(1)
    await t.delivery.flush()
    expect(t.wakes).toEqual([7000, 12_000])
  })

  it('drops a batch the collector refuses for good, and goes on with the rest', async () => {
    const t = setup({ answers: [{ status: 400 }, { status: 200 }] })
    t.queue.push(Array.from({ length: 30 }, (_, i) => item(ev(i, 3000))))
    await t.delivery.flush()
    expect(t.sent).toHaveLength(2)
    expect(t.queue.size()).toBe(0)
  })

  it('does nothing while offline, and resumes at once when back online', async () => {
    const t = setup({ online: false, answers: [{ status: 0 }] })
    t.queue.push([item(ev(1))])
    await t.delivery.flush()
    expect(t.sent).toHaveLength(0)
    t.setOnline(true)
    await t.delivery.flush()
    expect(t.wakes).toEqual([500])
    // The online event forgets the backoff.
    await t.delivery.resume()
    expect(t.sent).toHaveLength(2)
    expect(t.queue.size()).toBe(0)
  })

  it('runs one request at a time', async () => {
    const t = setup()
    t.queue.push([item(ev(1))])
    const a = t.delivery.flush()
    const b = t.delivery.flush()
    expect(a).toBe(b)
    await a
    expect(t.sent).toHaveLength(1)
  })

  it('reports dropped events on the next delivery, once', async () => {
    const kv = memoryKV()
    const small = new PersistedQueue(kv, 'q', { maxEvents: 2, maxBytes: 1e9 })
    small.push([item(ev(1)), item(ev(2)), item(ev(3))])
    small.commit()
    const t = setup({ kv })
    await t.delivery.flush()
    expect(t.sent[0]!.body.events.map((e) => e.properties)).toEqual([{ $dropped: 1 }, undefined])
    t.queue.push([item(ev(4))])
    await t.delivery.flush()
    expect(t.sent[1]!.body.events[0]!.properties).toBeUndefined()
  })
})

describe('Delivery.flushOnExit', () => {
  it('hands everything to beacons and forgets it', () => {
    const t = setup()
    t.queue.push(Array.from({ length: 30 }, (_, i) => item(ev(i, 3000))))
    t.delivery.flushOnExit()
    expect(t.beacons).toHaveLength(2)
    for (const b of t.beacons) expect(b.bytes).toBeLessThanOrEqual(MAX_BATCH_BYTES)
    expect(t.uuids(t.beacons)).toHaveLength(30)
    expect(t.queue.size()).toBe(0)
  })

  it('keeps what the browser refused for the next page', () => {
    const t = setup({ beacon: [true, false] })
    t.queue.push(Array.from({ length: 30 }, (_, i) => item(ev(i, 3000))))
    t.delivery.flushOnExit()
    const sentNow = t.uuids(t.beacons)
    expect(sentNow.length).toBeGreaterThan(0)
    expect(t.queue.size()).toBe(30 - sentNow.length)
    // Released, not leased: the next page sends them immediately.
    const next = setup({ kv: t.kv })
    void next.delivery.flush()
    expect(next.sent.length).toBe(1)
  })

  it('keeps everything while offline or while the collector is failing', async () => {
    const off = setup({ online: false })
    off.queue.push([item(ev(1))])
    off.delivery.flushOnExit()
    expect(off.beacons).toHaveLength(0)
    expect(off.queue.size()).toBe(1)

    const failing = setup({ answers: [{ status: 503 }] })
    failing.queue.push([item(ev(1))])
    await failing.delivery.flush()
    failing.delivery.flushOnExit()
    expect(failing.beacons).toHaveLength(0)
    expect(failing.queue.size()).toBe(1)
  })

  it('leaves a batch in flight to its request; the next page resends it only after the lease', async () => {
    const t = setup()
    let answer!: (r: SendResult) => void
    t.queue.push([item(ev(1))])
    const pending = new Promise<SendResult>((r) => (answer = r))
    const slow = new Delivery({
      queue: t.queue,
      transport: { send: () => pending, beacon: () => true },
      writeKey: 'wk',
      now: () => 1_000_000,
      random: () => 0,
      online: () => true,
      wake: () => {},
    })
    const flushing = slow.flush()
    t.queue.push([item(ev(2))])
    slow.flushOnExit()
    // Only the new event left by beacon; the one in flight is still queued under its lease.
    expect(t.queue.size()).toBe(1)
    const next = setup({ kv: t.kv })
    await next.delivery.flush()
    expect(next.sent).toHaveLength(0)
    next.tick(LEASE_MS)
    await next.delivery.flush()
    expect(next.uuids(next.sent)).toEqual([ev(1).uuid])
    answer({ status: 200 })
    await flushing
  })
})
