import { describe, expect, it } from 'vitest'
import { buildEventRow, scrubCardLike, splitUrl } from './event-row.js'
import { NO_AGENT } from './ua.js'

describe('buildEventRow', () => {
  it('maps an SDK event to an events row, with corrected and client time', () => {
    const row = buildEventRow(
      {
        uuid: '0190F5F4-8A4E-7C3B-9D2A-1B2C3D4E5F60', event: '$click', timestamp: 0, anonymous_id: 'a', user_id: null,
        url: 'https://app.example.com:8443/a/b?q=1#h', elements: [{ tag: 'BUTTON', text: 'Pay 4242 4242 4242 4242' }, { tag: 'form' }],
      },
      Date.UTC(2026, 0, 5, 10),
      { projectId: 'p', receivedAt: Date.UTC(2026, 0, 5, 10, 0, 1), skewMs: -3_600_000, lib: 'web', agent: NO_AGENT, ip: '' },
    )
    expect(row).toMatchObject({
      project_id: 'p', uuid: '0190f5f4-8a4e-7c3b-9d2a-1b2c3d4e5f60', timestamp: '2026-01-05 09:00:00.000',
      client_timestamp: '2026-01-05 10:00:00.000', received_at: '2026-01-05 10:00:01.000', user_id: '', account_id: '',
      path: '/a/b', host: 'app.example.com:8443', element_text: 'Pay', properties: '{}',
    })
    expect(row.elements).toEqual([
      { tag: 'button', id: '', classes: [], attrs: {}, text: 'Pay', nth: 0 },
      { tag: 'form', id: '', classes: [], attrs: {}, text: '', nth: 0 },
    ])
  })

  it('carries the client address and its country from the request, and no country when none was looked up', () => {
    const e = { uuid: '0190f5f4-8a4e-7c3b-9d2a-1b2c3d4e5f61', event: '$pageview', timestamp: 0, anonymous_id: 'a', url: 'https://app.example.com/' }
    const ctx = { projectId: 'p', receivedAt: 0, skewMs: 0, lib: 'web', agent: NO_AGENT }
    expect(buildEventRow(e, 0, { ...ctx, ip: '193.0.6.0', country: 'NL' })).toMatchObject({ ip: '193.0.6.0', country: 'NL' })
    expect(buildEventRow(e, 0, { ...ctx, ip: '' })).toMatchObject({ ip: '', country: '' })
  })

  it('removes card numbers (Luhn-valid) and keeps other digit runs', () => {
    expect(scrubCardLike('card 4111-1111-1111-1111 ok')).toBe('card  ok')
    expect(scrubCardLike('order 1234567890123')).toBe('order 1234567890123')
    expect(splitUrl('not a url')).toEqual({ path: '', host: '' })
  })
})
