import { describe, expect, it } from 'vitest'
import { parseAgent } from './ua.js'

describe('parseAgent', () => {
  it('reads browser, OS and device type', () => {
    expect(parseAgent('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.91 Safari/537.36')).toEqual({
      browser: 'Chrome', browser_version: '124.0', os: 'Windows', os_version: '10', device_type: 'desktop',
    })
    expect(parseAgent('Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1')).toEqual({
      browser: 'Mobile Safari', browser_version: '17.4', os: 'iOS', os_version: '17.4', device_type: 'mobile',
    })
    expect(parseAgent(undefined).browser).toBe('')
  })
})
