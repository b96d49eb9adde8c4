import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { urlSanitizer } from '../url.js'
import type { Description } from './describe.js'
import { startAutocapture } from './listeners.js'

interface Got {
  event: string
  d: Description
}

let got: Got[]
let stop: () => void
const $ = <T extends Element = HTMLElement>(sel: string, root: ParentNode = document) => root.querySelector(sel) as T

const click = (el: Element, x = 10, y = 10) =>
  el.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true, clientX: x, clientY: y }))

beforeEach(() => {
  got = []
  document.body.innerHTML = ''
  stop = startAutocapture(document, (event, d) => got.push({ event, d }), { maskAllText: false, sanitize: urlSanitizer() })
})
afterEach(() => stop())

describe('clicks', () => {
  it('captures a click on a button with its chain and feature', () => {
    document.body.innerHTML = '<div data-feature="billing"><button id="pay">Pay now</button></div>'
    click($('#pay'))
    expect(got).toHaveLength(1)
    expect(got[0]!.event).toBe('$click')
    expect(got[0]!.d.featureKey).toBe('billing')
    expect(got[0]!.d.elements.map((e) => e.tag)).toEqual(['button', 'div', 'body'])
    expect(got[0]!.d.elements[0]!.text).toBe('Pay now')
  })

  it('attributes a click on an icon to the link around it', () => {
    document.body.innerHTML = '<a href="/docs" id="l"><svg><path id="p"></path></svg> Docs</a>'
    click($('#p'))
    expect(got[0]!.d.elements[0]).toMatchObject({ tag: 'a', id: 'l', text: 'Docs' })
  })

  it('ignores clicks on plain content', () => {
    document.body.innerHTML = '<p id="p">just text</p>'
    click($('#p'))
    expect(got).toEqual([])
  })

  it('ignores clicks on password fields and fields named like cards', () => {
    document.body.innerHTML = '<input type="password" id="pw"><input name="card-number" id="cc"><input name="q" id="q">'
    click($('#pw'))
    click($('#cc'), 300, 300)
    click($('#q'), 600, 600)
    expect(got.map((g) => g.d.elements[0]!.id)).toEqual(['q'])
  })

  it('ignores clicks inside a no-capture subtree', () => {
    document.body.innerHTML = '<div data-tenure-no-capture><button id="b">x</button></div>'
    click($('#b'))
    expect(got).toEqual([])
  })

  it('counts a click on a label once, not again for the control it activates', () => {
    document.body.innerHTML = '<label id="l"><input type="checkbox" id="c" name="agree"> Agree</label>'
    click($('#l'))
    // The box did change: that is its own event.
    expect(got.map((g) => `${g.event} ${g.d.elements[0]!.tag}`)).toEqual(['$click label', '$change input'])
    click($('#c'), 300, 300)
    expect(got.map((g) => `${g.event} ${g.d.elements[0]!.tag}`)).toEqual(['$click label', '$change input', '$click input', '$change input'])
  })

  it('captures a rage click on anything, once per burst, besides the clicks', () => {
    document.body.innerHTML = '<div id="dead">Loading…</div><button id="b">Go</button>'
    for (let i = 0; i < 4; i++) click($('#dead'), 50, 50)
    expect(got.map((g) => g.event)).toEqual(['$rageclick'])
    expect(got[0]!.d.elements[0]!.id).toBe('dead')
    for (let i = 0; i < 3; i++) click($('#b'), 300, 300)
    expect(got.map((g) => g.event)).toEqual(['$rageclick', '$click', '$click', '$rageclick', '$click'])
  })

  it('sees through open shadow roots', () => {
    document.body.innerHTML = '<section data-feature="editor"><x-toolbar id="host"></x-toolbar></section>'
    const root = $('#host').attachShadow({ mode: 'open' })
    root.innerHTML = '<button class="bold"><span id="icon">B</span></button>'
    click($('#icon', root))
    expect(got[0]!.d.elements.map((e) => e.tag)).toEqual(['button', 'x-toolbar', 'section', 'body'])
    expect(got[0]!.d.featureKey).toBe('editor')
  })

  it('stops capturing when stopped', () => {
    document.body.innerHTML = '<button id="b">x</button>'
    stop()
    click($('#b'))
    expect(got).toEqual([])
  })
})

describe('forms', () => {
  it('captures submits', () => {
    document.body.innerHTML = '<form id="f" data-feature="signup"><input name="email"><button>Send</button></form>'
    $('#f').dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }))
    expect(got.map((g) => [g.event, g.d.elements[0]!.id, g.d.featureKey])).toEqual([['$submit', 'f', 'signup']])
  })

  it('captures that a field changed, never what it holds', () => {
    document.body.innerHTML = '<form><input id="e" name="email" value="x"><textarea id="t" name="note"></textarea><select id="s" name="plan"><option>basic</option><option>pro plan</option></select></form>'
    const e = $<HTMLInputElement>('#e')
    e.value = 'jane.typed@example.com'
    e.dispatchEvent(new Event('change', { bubbles: true }))
    const t = $<HTMLTextAreaElement>('#t')
    t.value = 'typed note text'
    t.dispatchEvent(new Event('change', { bubbles: true }))
    const s = $<HTMLSelectElement>('#s')
    s.selectedIndex = 1
    s.dispatchEvent(new Event('change', { bubbles: true }))
    expect(got.map((g) => [g.event, g.d.elements[0]!.attrs?.name])).toEqual([
      ['$change', 'email'],
      ['$change', 'note'],
      ['$change', 'plan'],
    ])
    const all = JSON.stringify(got)
    for (const secret of ['jane.typed', 'typed note', 'pro plan', '"x"']) expect(all).not.toContain(secret)
  })

  it('skips changes of password, hidden and sensitive fields', () => {
    document.body.innerHTML = '<input type="password" id="a"><input type="hidden" id="b"><input name="cvv" id="c"><input name="ssn" id="d"><div id="e"></div>'
    for (const id of ['a', 'b', 'c', 'd', 'e']) $(`#${id}`).dispatchEvent(new Event('change', { bubbles: true }))
    expect(got).toEqual([])
  })

  it('captures submits and changes inside shadow roots, where they do not reach the document', () => {
    document.body.innerHTML = '<x-form id="host"></x-form>'
    const root = $('#host').attachShadow({ mode: 'open' })
    root.innerHTML = '<form id="f"><input id="i" name="city"></form>'
    // Focus reveals the root before anything is typed.
    $('#i', root).dispatchEvent(new FocusEvent('focusin', { bubbles: true, composed: true }))
    $('#i', root).dispatchEvent(new Event('change', { bubbles: true }))
    $('#f', root).dispatchEvent(new Event('submit', { bubbles: true }))
    expect(got.map((g) => [g.event, g.d.elements.map((e) => e.tag).join('>')])).toEqual([
      ['$change', 'input>form>x-form>body'],
      ['$submit', 'form>x-form>body'],
    ])
  })
})

/** An event as a script dispatches it in a browser: `isTrusted` false. */
const synthetic = <E extends Event>(e: E): E => Object.defineProperty(e, 'isTrusted', { value: false })
const at = (type: string, t: number) => Object.defineProperty(new MouseEvent(type, { bubbles: true, composed: true }), 'timeStamp', { value: t })

describe('only what a person did', () => {
  it('ignores clicks, submits and changes a script dispatched', () => {
    document.body.innerHTML = '<form id="f"><input type="checkbox" id="c" name="done"><button id="b">Go</button></form>'
    $('#c').dispatchEvent(synthetic(new MouseEvent('click', { bubbles: true })))
    $('#c').dispatchEvent(synthetic(new Event('change', { bubbles: true })))
    $('#f').dispatchEvent(synthetic(new Event('submit', { bubbles: true })))
    for (let i = 0; i < 3; i++) $('#b').dispatchEvent(synthetic(new MouseEvent('click', { bubbles: true })))
    expect(got).toEqual([])
    click($('#b'))
    expect(got.map((g) => g.event)).toEqual(['$click'])
  })
})

describe('the element as it was when pressed', () => {
  it('keeps the text the button had at pointerdown when the page changes it before the click', () => {
    document.body.innerHTML = '<button id="b">Archive <span>3</span></button>'
    const b = $('#b')
    b.dispatchEvent(new MouseEvent('pointerdown', { bubbles: true, composed: true }))
    b.textContent = 'Archived!'
    click(b)
    expect(got.map((g) => g.d.elements[0]!.text)).toEqual(['Archive 3'])
  })

  it('uses the press of a re-rendered button, and describes anew a click that follows no press of its target', () => {
    document.body.innerHTML = '<div id="w"><button id="a">Save draft</button></div><button id="other">Other</button>'
    $('#a').dispatchEvent(new MouseEvent('pointerdown', { bubbles: true, composed: true }))
    $('#w').innerHTML = '<button id="a2">Saved</button>'
    click($('#a2'))
    $('#other').dispatchEvent(new MouseEvent('pointerdown', { bubbles: true, composed: true }))
    click($('#a2'), 300, 300)
    expect(got.map((g) => g.d.elements[0]!.text)).toEqual(['Save draft', 'Saved'])
  })

  it("gives a button or link the text of its children, trimmed and capped", () => {
    document.body.innerHTML = `<button id="b">Clear completed <span>(2)</span></button><a id="l" href="/x"><b>Read</b>  more</a><button id="long">${'word '.repeat(60)}<i>tail</i></button>`
    click($('#b'))
    click($('#l'), 300, 300)
    click($('#long'), 600, 600)
    expect(got.map((g) => g.d.elements[0]!.text)).toEqual(['Clear completed (2)', 'Read more', 'word '.repeat(20).trim()])
  })
})

describe('rage clicks', () => {
  it('needs 3 clicks on one element within 1 s in total, not 1 s between each', () => {
    document.body.innerHTML = '<button id="b">Go</button><button id="c">Stop</button>'
    for (const t of [0, 900, 1800, 2700]) $('#b').dispatchEvent(at('click', t))
    expect(got.filter((g) => g.event === '$rageclick')).toEqual([])
    for (const t of [5000, 5300]) $('#b').dispatchEvent(at('click', t))
    $('#c').dispatchEvent(at('click', 5400))
    expect(got.filter((g) => g.event === '$rageclick')).toEqual([])
    for (const t of [8000, 8400, 8900]) $('#c').dispatchEvent(at('click', t))
    expect(got.filter((g) => g.event === '$rageclick').map((g) => g.d.elements[0]!.id)).toEqual(['c'])
  })
})
