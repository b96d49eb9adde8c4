import { describe, expect, it } from 'vitest'
import { formatSelector, parseSelector, SelectorError } from './selector.js'

describe('parseSelector', () => {
  it('parses tag, id, classes and attributes of one compound', () => {
    expect(parseSelector('BUTTON#save.btn.primary[data-feature=export][disabled]')).toEqual([
      {
        tag: 'button',
        id: 'save',
        classes: ['btn', 'primary'],
        attrs: [{ name: 'data-feature', value: 'export' }, { name: 'disabled' }],
      },
    ])
  })

  it('parses descendant chains, quoted values and a universal tag', () => {
    expect(parseSelector('  nav  .menu   *[aria-label="Open menu"] ')).toEqual([
      { tag: 'nav', classes: [], attrs: [] },
      { classes: ['menu'], attrs: [] },
      { classes: [], attrs: [{ name: 'aria-label', value: 'Open menu' }] },
    ])
    expect(parseSelector("[data-feature='a b']")[0]!.attrs).toEqual([{ name: 'data-feature', value: 'a b' }])
  })

  it('accepts class names of utility frameworks', () => {
    expect(parseSelector('.px-4.md-flex')[0]!.classes).toEqual(['px-4', 'md-flex'])
  })

  it.each([
    ['', 'empty selector'],
    ['a > b', 'combinator ">" is not supported'],
    ['a + b', 'combinator "+"'],
    ['a, b', 'selector lists are not supported'],
    ['a:hover', 'pseudo-classes are not supported'],
    ['[href^=x]', 'only [attr] and [attr=value]'],
    ['[data-x="y]', 'unterminated'],
    ['#a#b', 'one id'],
    ['a b c d e f', 'at most 5 compounds'],
    ['.', 'expected a name'],
    ['a$', 'unexpected "$"'],
  ])('refuses %j', (selector, message) => {
    expect(() => parseSelector(selector)).toThrow(SelectorError)
    expect(() => parseSelector(selector)).toThrow(message)
  })

  it('formats back to a canonical selector', () => {
    expect(formatSelector(parseSelector("div  .a.b  [x='1'] *"))).toBe('div .a.b [x="1"] *')
  })
})
