import { describe, expect, it } from 'vitest'
import { hasUserText, isSensitiveField, masksText } from './privacy.js'

const el = (html: string): Element => {
  document.body.innerHTML = html
  return document.body.firstElementChild!
}

describe('isSensitiveField', () => {
  it('flags password and hidden inputs', () => {
    expect(isSensitiveField(el('<input type="password">'))).toBe(true)
    expect(isSensitiveField(el('<input type="PASSWORD">'))).toBe(true)
    expect(isSensitiveField(el('<input type="hidden" name="csrf">'))).toBe(true)
  })

  it('flags fields named like cards, CVVs, SSNs, passwords', () => {
    for (const html of [
      '<input name="card_number">',
      '<input name="cvv">',
      '<input id="cardCvc">',
      '<input name="ssn">',
      '<input name="social-security">',
      '<input name="user_password_confirm">',
      '<input autocomplete="cc-number">',
      '<input autocomplete="one-time-code">',
      '<select name="cc-exp-month"></select>',
      '<textarea name="api_secret"></textarea>',
      '<input name="pin">',
    ])
      expect(isSensitiveField(el(html)), html).toBe(true)
  })

  it('leaves ordinary fields and non-fields alone', () => {
    expect(isSensitiveField(el('<input name="email" type="email">'))).toBe(false)
    expect(isSensitiveField(el('<input name="search">'))).toBe(false)
    expect(isSensitiveField(el('<select name="plan"></select>'))).toBe(false)
    expect(isSensitiveField(el('<input name="pinned_only" type="checkbox">'))).toBe(false)
    expect(isSensitiveField(el('<div id="password">x</div>'))).toBe(false)
  })
})

describe('text sources', () => {
  it('never reads text of fields or editable regions', () => {
    expect(hasUserText(el('<textarea>typed</textarea>'))).toBe(true)
    expect(hasUserText(el('<select><option>a</option></select>'))).toBe(true)
    expect(hasUserText(el('<div contenteditable>typed</div>'))).toBe(true)
    expect(hasUserText(el('<div contenteditable="false">x</div>'))).toBe(false)
    expect(hasUserText(el('<button>x</button>'))).toBe(false)
  })

  it('treats the mask attribute and editable regions as masks', () => {
    expect(masksText(el('<div data-tenure-mask>x</div>'))).toBe(true)
    expect(masksText(el('<div contenteditable="true">x</div>'))).toBe(true)
    expect(masksText(el('<div>x</div>'))).toBe(false)
  })
})
