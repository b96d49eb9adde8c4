import { describe, expect, it } from 'vitest'
import { interactiveTarget } from './interactive.js'

const $ = (sel: string) => document.querySelector(sel)!
const noPointer = () => false

describe('interactiveTarget', () => {
  it('is the element itself for native controls and widget roles', () => {
    document.body.innerHTML = `<a id="a" href="/">a</a><button id="b">b</button><input id="i"><select id="s"></select>
      <label id="l">l</label><div id="r" role="button">r</div><div id="t" role="tab">t</div><span id="o" onclick="void 0">o</span>`
    for (const id of ['a', 'b', 'i', 's', 'l', 'r', 't', 'o']) expect(interactiveTarget($(`#${id}`), noPointer)).toBe($(`#${id}`))
  })

  it('climbs from an icon to the nearest interactive ancestor', () => {
    document.body.innerHTML = '<nav><a id="a" href="/"><span><svg><path id="p"></path></svg></span></a></nav>'
    expect(interactiveTarget($('#p'), noPointer)).toBe($('#a'))
  })

  it('is null for clicks on plain content', () => {
    document.body.innerHTML = '<div><p id="p">text</p></div>'
    expect(interactiveTarget($('#p'), noPointer)).toBeNull()
    expect(interactiveTarget(document.body, noPointer)).toBeNull()
  })

  it('takes the outermost element of a cursor:pointer run', () => {
    document.body.innerHTML = '<div id="list"><div id="card" class="pointer"><span id="icon" class="pointer">i</span></div></div>'
    const pointer = (el: Element) => el.classList.contains('pointer')
    expect(interactiveTarget($('#icon'), pointer)).toBe($('#card'))
  })

  it('reads computed cursor styles by default', () => {
    document.body.innerHTML = '<style>.card{cursor:pointer}</style><div class="card" id="card"><span id="s">x</span></div>'
    expect(interactiveTarget($('#s'))).toBe($('#card'))
  })

  it('climbs out of shadow roots', () => {
    document.body.innerHTML = '<button id="host-btn"><x-icon id="host"></x-icon></button>'
    const root = $('#host').attachShadow({ mode: 'open' })
    root.innerHTML = '<svg><path id="p"></path></svg>'
    expect(interactiveTarget(root.getElementById('p')!, noPointer)).toBe($('#host-btn'))
  })
})
