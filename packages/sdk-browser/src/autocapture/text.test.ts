import { describe, expect, it } from 'vitest'
import { cleanText, MAX_TEXT, ownText, subtreeText } from './text.js'

describe('cleanText', () => {
  it('collapses whitespace and trims', () => {
    expect(cleanText('  Save \n\t  changes  ')).toBe('Save changes')
  })

  it('is undefined for empty or blank text', () => {
    expect(cleanText('')).toBeUndefined()
    expect(cleanText(' \n ')).toBeUndefined()
    expect(cleanText(null)).toBeUndefined()
  })

  it('caps text at the maximum length', () => {
    expect(cleanText('x'.repeat(500))).toBe('x'.repeat(MAX_TEXT))
    expect(cleanText('abcdef', 3)).toBe('abc')
  })

  it('drops card-number-like text in any common format', () => {
    for (const t of ['4242424242424242', 'Card 4242 4242 4242 4242 ok', '5555-5555-5555-4444', '3782 822463 10005', '6011000990139424123'])
      expect(cleanText(t)).toBeUndefined()
  })

  it('drops SSN-like text', () => {
    expect(cleanText('SSN: 123-45-6789')).toBeUndefined()
    expect(cleanText('123 45 6789')).toBeUndefined()
  })

  it('keeps ordinary numbers', () => {
    expect(cleanText('Order 123456 of 2024-05-01')).toBe('Order 123456 of 2024-05-01')
    expect(cleanText('Call 555-1234')).toBe('Call 555-1234')
    expect(cleanText('12 items')).toBe('12 items')
  })

  it('sees a card number that straddles the cut', () => {
    expect(cleanText('a'.repeat(MAX_TEXT - 5) + ' 4111 1111 1111 1111')).toBeUndefined()
  })
})

describe('ownText and subtreeText', () => {
  it('reads only direct text nodes', () => {
    document.body.innerHTML = '<div id="d">Hello <b>bold</b> world</div>'
    expect(ownText(document.getElementById('d')!)).toBe('Hello  world')
  })

  it('reads the subtree in order, skipping what the filter rejects', () => {
    document.body.innerHTML = '<button id="b"><span>Save</span><span class="x">secret</span><i>now</i></button>'
    const text = subtreeText(document.getElementById('b')!, (el) => el.classList.contains('x'))
    expect(cleanText(text)).toBe('Save now')
  })

  it('stops after the limit', () => {
    document.body.innerHTML = `<div id="d">${'<p>abcdefghij</p>'.repeat(100)}</div>`
    expect(subtreeText(document.getElementById('d')!, () => false, 30).length).toBeLessThan(50)
  })
})
