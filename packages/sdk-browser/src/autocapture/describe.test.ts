import { beforeEach, describe, expect, it } from 'vitest'
import { urlSanitizer } from '../url.js'
import { describeElement, MAX_CHAIN, type DescribeOptions } from './describe.js'

const opts: DescribeOptions = { maskAllText: false, sanitize: urlSanitizer() }
const $ = (sel: string) => document.querySelector(sel)!

beforeEach(() => {
  document.body.innerHTML = ''
})

describe('describeElement', () => {
  it('describes the target then every ancestor up to body', () => {
    document.body.innerHTML = `
      <main id="app" class="layout  wide">
        <p>intro</p>
        <section data-feature="reports" data-section="top">
          <p>one</p><div>x</div><p>two
            <button id="save" class="btn primary" type="submit" name="save" role="button" aria-label="Save report"
              data-testid="save-btn" data-tenure-ignored="x" style="color:red" value="v" title="t">Save</button>
          </p>
        </section>
      </main>`
    const d = describeElement($('#save'), opts)!
    expect(d.featureKey).toBe('reports')
    expect(d.elements).toEqual([
      {
        tag: 'button',
        id: 'save',
        classes: ['btn', 'primary'],
        attrs: { type: 'submit', name: 'save', role: 'button', 'aria-label': 'Save report', 'data-testid': 'save-btn' },
        nth: 1,
        text: 'Save',
      },
      { tag: 'p', nth: 2, text: 'two' },
      { tag: 'section', attrs: { 'data-section': 'top' }, nth: 1 },
      { tag: 'main', id: 'app', classes: ['layout', 'wide'], nth: 1 },
      { tag: 'body', nth: 1 },
    ])
  })

  it('records own text only for ancestors, and subtree text for a target without its own', () => {
    document.body.innerHTML = '<div>Header <a href="/x"><svg class="icon"><path></path></svg><span>Open</span> <b>file</b></a></div>'
    const d = describeElement($('a'), opts)!
    expect(d.elements[0]!.text).toBe('Open file')
    expect(d.elements[1]!.text).toBe('Header')
  })

  it('takes the nearest data-feature', () => {
    document.body.innerHTML = '<div data-feature="outer"><div data-feature="inner"><button>b</button></div></div>'
    expect(describeElement($('button'), opts)!.featureKey).toBe('inner')
    document.body.innerHTML = '<div><button>b</button></div>'
    expect(describeElement($('button'), opts)!.featureKey).toBeUndefined()
  })

  it('counts position among siblings of the same tag', () => {
    document.body.innerHTML = '<ul><li>a</li><span></span><li>b</li><li id="c">c</li></ul>'
    expect(describeElement($('#c'), opts)!.elements[0]!.nth).toBe(3)
  })

  it('sanitises hrefs and keeps only the scheme of non-web links', () => {
    document.body.innerHTML = `<a id="a" href="https://e.com/reset?token=abc&step=2">r</a>
      <a id="m" href="mailto:bob@example.com">m</a><a id="j" href="javascript:alert(1)">j</a>`
    expect(describeElement($('#a'), opts)!.elements[0]!.attrs).toEqual({ href: 'https://e.com/reset?step=2' })
    expect(describeElement($('#m'), opts)!.elements[0]!.attrs).toEqual({ href: 'mailto:' })
    expect(describeElement($('#j'), opts)!.elements[0]!.attrs).toEqual({ href: 'javascript:' })
  })

  it('returns null inside a no-capture subtree, including the element itself', () => {
    document.body.innerHTML = '<div data-tenure-no-capture><span><button id="in">x</button></span></div><button id="self" data-tenure-no-capture>y</button>'
    expect(describeElement($('#in'), opts)).toBeNull()
    expect(describeElement($('#self'), opts)).toBeNull()
  })

  it('masks text and aria-labels of the masked element and its whole subtree', () => {
    document.body.innerHTML = `<section>Visible<div data-tenure-mask aria-label="Jane Doe">Jane
      <button aria-label="Email jane@x.com" class="b">Email Jane</button></div></section>`
    const d = describeElement($('button'), opts)!
    expect(d.elements[0]).toEqual({ tag: 'button', classes: ['b'], nth: 1 })
    expect(d.elements[1]).toEqual({ tag: 'div', nth: 1 })
    expect(d.elements[2]!.text).toBe('Visible')
  })

  it('leaves masked descendants out of a target’s subtree text', () => {
    document.body.innerHTML = '<button><span>Pay</span><span data-tenure-mask>Jane Doe</span></button>'
    expect(describeElement($('button'), opts)!.elements[0]!.text).toBe('Pay')
  })

  it('captures no text anywhere when all text is masked', () => {
    document.body.innerHTML = '<div>Hello<button aria-label="Go">Go</button></div>'
    const d = describeElement($('button'), { ...opts, maskAllText: true })!
    expect(d.elements.map((e) => e.text)).toEqual([undefined, undefined, undefined])
  })

  it('never reads text of fields or editable regions', () => {
    document.body.innerHTML = '<form><textarea name="note">typed secret</textarea><div contenteditable><p id="p">draft words</p></div></form>'
    const t = describeElement($('textarea'), opts)!
    expect(t.elements[0]).toEqual({ tag: 'textarea', attrs: { name: 'note' }, nth: 1 })
    expect(JSON.stringify(describeElement($('#p'), opts))).not.toContain('draft')
  })

  it('drops card-like text and card-like attribute values', () => {
    document.body.innerHTML = '<div data-card="4242 4242 4242 4242"><button>4242424242424242</button></div>'
    const d = describeElement($('button'), opts)!
    expect(d.elements[0]!.text).toBeUndefined()
    expect(d.elements[1]!.attrs).toBeUndefined()
  })

  it('walks out of open shadow roots through their hosts', () => {
    document.body.innerHTML = '<div id="outer" data-feature="widget"><x-card id="host"></x-card></div>'
    const root = $('#host').attachShadow({ mode: 'open' })
    root.innerHTML = '<div class="inner"><button id="b">Go</button></div>'
    const d = describeElement(root.getElementById('b')!, opts)!
    expect(d.elements.map((e) => e.tag)).toEqual(['button', 'div', 'x-card', 'div', 'body'])
    expect(d.featureKey).toBe('widget')
  })

  it('stops at the chain limit but still honours no-capture above it', () => {
    let html = '<button id="deep">x</button>'
    for (let i = 0; i < 80; i++) html = `<div>${html}</div>`
    document.body.innerHTML = html
    expect(describeElement($('#deep'), opts)!.elements).toHaveLength(MAX_CHAIN)
    document.body.firstElementChild!.setAttribute('data-tenure-no-capture', '')
    expect(describeElement($('#deep'), opts)).toBeNull()
  })

  it('uses the class attribute of SVG elements', () => {
    document.body.innerHTML = '<svg class="icon icon-x"><path class="p"></path></svg>'
    expect(describeElement($('path'), opts)!.elements[1]!.classes).toEqual(['icon', 'icon-x'])
  })
})
