import { describe, expect, it } from 'vitest'
import { parsePathPattern, PathPatternError } from './path-pattern.js'

const matches = (pattern: string, path: string): boolean => new RegExp(parsePathPattern(pattern)).test(path)

describe('parsePathPattern', () => {
  it('anchors literal paths and allows a trailing slash', () => {
    expect(matches('/settings/billing', '/settings/billing')).toBe(true)
    expect(matches('/settings/billing', '/settings/billing/')).toBe(true)
    expect(matches('/settings/billing', '/settings/billing/invoices')).toBe(false)
    expect(matches('/settings/billing', '/x/settings/billing')).toBe(false)
  })

  it('matches * within a segment, ** across segments and :param as one segment', () => {
    expect(matches('/projects/*/settings', '/projects/42/settings')).toBe(true)
    expect(matches('/projects/*/settings', '/projects/4/2/settings')).toBe(false)
    expect(matches('/reports/**', '/reports/a/b/c')).toBe(true)
    expect(matches('/projects/:id', '/projects/42')).toBe(true)
    expect(matches('/projects/:id', '/projects/')).toBe(false)
  })

  it('escapes regular-expression characters', () => {
    expect(matches('/a.b(c)', '/a.b(c)')).toBe(true)
    expect(matches('/a.b(c)', '/aXb(c)')).toBe(false)
  })

  it('refuses patterns that are not paths', () => {
    expect(() => parsePathPattern('settings')).toThrow(PathPatternError)
    expect(() => parsePathPattern('/a?b=1')).toThrow('no query string')
    expect(() => parsePathPattern('/a/:')).toThrow('parameter name')
  })
})
