import { describe, expect, it } from 'vitest'
import { isBot } from './bots.js'

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36'
const HEADLESS = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0.0.0 Safari/537.36'

describe('isBot', () => {
  it('passes real browsers and catches crawlers, monitors and HTTP libraries', () => {
    expect(isBot(CHROME)).toBe(false)
    expect(isBot('Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1')).toBe(false)
    for (const ua of [
      'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
      'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
      'facebookexternalhit/1.1',
      'Mozilla/5.0 (compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)',
      'python-requests/2.31.0',
      'curl/8.5.0',
      'Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/109.0.0.0 Mobile Safari/537.36 Chrome-Lighthouse',
    ]) expect(isBot(ua), ua).toBe(true)
    expect(isBot(undefined)).toBe(true)
  })
  it('counts headless browsers as bots unless allowed', () => {
    expect(isBot(HEADLESS)).toBe(true)
    expect(isBot(HEADLESS, { allowHeadless: true })).toBe(false)
  })
})
