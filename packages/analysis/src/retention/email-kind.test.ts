import { describe, expect, it } from 'vitest'
import { emailKind } from './email-kind.js'

describe('emailKind', () => {
  it('tells personal addresses from work ones, and ignores what is not an address', () => {
    expect(emailKind('ana@gmail.com')).toBe('personal')
    expect(emailKind('Bo@Hotmail.co.uk')).toBe('personal')
    expect(emailKind('cy@yahoo.fr')).toBe('personal')
    expect(emailKind('dee@acme-corp.io')).toBe('work')
    expect(emailKind('ed@mail.acme.com')).toBe('work')
    expect(emailKind('admin')).toBeNull()
    expect(emailKind('@gmail.com')).toBeNull()
    expect(emailKind('a b@acme.com')).toBeNull()
    expect(emailKind('x@localhost')).toBeNull()
  })
})
