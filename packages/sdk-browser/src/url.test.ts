import { describe, expect, it } from 'vitest'
import { urlSanitizer } from './url.js'

describe('urlSanitizer', () => {
  const clean = urlSanitizer(['utm_secret_campaign', 'Customer'])

  it('strips default token parameters and keeps the rest in order', () => {
    expect(clean('https://app.example.com/a?x=1&token=abc&y=2&access_token=zz')).toBe('https://app.example.com/a?x=1&y=2')
  })

  it('strips any parameter whose name looks secret, case-insensitively', () => {
    expect(clean('https://e.com/?reset_TOKEN=1&myApiKey=2&ok=3&Client_Secret=4')).toBe('https://e.com/?ok=3')
  })

  it('strips configured parameters, case-insensitively', () => {
    expect(clean('https://e.com/p?customer=acme&page=2')).toBe('https://e.com/p?page=2')
  })

  it('drops the question mark when nothing is left', () => {
    expect(clean('https://e.com/p?password=hunter2')).toBe('https://e.com/p')
  })

  it('strips credentials in the hash of OAuth implicit flows and hash routers', () => {
    expect(clean('https://e.com/cb#access_token=abc&expires_in=3600')).toBe('https://e.com/cb#expires_in=3600')
    expect(clean('https://e.com/#/reset?token=abc&step=2')).toBe('https://e.com/#/reset?step=2')
    expect(clean('https://e.com/#/settings/profile')).toBe('https://e.com/#/settings/profile')
  })

  it('removes user:password@ from the authority', () => {
    expect(clean('https://bob:pw@e.com/x')).toBe('https://e.com/x')
  })

  it('resolves relative hrefs against the page and rejects non-URLs', () => {
    expect(clean('/docs?key=1&q=a')).toBe(new URL('/docs?q=a', location.href).href)
    expect(clean('http://[bad')).toBe('')
  })

  it('handles encoded parameter names', () => {
    expect(clean('https://e.com/?%74oken=1&a=b')).toBe('https://e.com/?a=b')
  })

  it('caps URLs at the wire limit', () => {
    expect(clean('https://e.com/?q=' + 'a'.repeat(5000)).length).toBe(2048)
  })
})
