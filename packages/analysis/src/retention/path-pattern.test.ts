import { describe, expect, it } from 'vitest'
import { pathPattern } from './path-pattern.js'

describe('pathPattern', () => {
  it('folds ids and tokens and keeps the names of pages', () => {
    expect(pathPattern('/invite/3f9c2a71b0de')).toBe('/invite/:id')
    expect(pathPattern('/projects/42/settings/')).toBe('/projects/:id/settings')
    expect(pathPattern('/share/AbCdEfGhIjKlMnOpQrStUv')).toBe('/share/:id')
    expect(pathPattern('/docs/getting-started')).toBe('/docs/getting-started')
    expect(pathPattern('/')).toBe('/')
    expect(pathPattern('')).toBe('')
  })
})
