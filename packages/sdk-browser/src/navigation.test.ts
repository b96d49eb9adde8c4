import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { startNavigation, type Navigation, type Page } from './navigation.js'

type Call = ['view', Page] | ['leave', Page, { $time_on_page_ms: number; $scroll_depth: number }]

const settle = () => new Promise((r) => setTimeout(r, 5))

describe('startNavigation', () => {
  let calls: Call[]
  let nav: Navigation
  let now: number

  beforeEach(() => {
    history.replaceState(null, '', '/start')
    document.title = 'Start'
    calls = []
    now = 1000
    nav = startNavigation(
      window,
      { pageview: (p) => calls.push(['view', p]), pageleave: (p, props) => calls.push(['leave', p, props]) },
      () => now,
    )
  })

  afterEach(() => nav.stop())

  it('records a page view on start', () => {
    expect(calls).toEqual([['view', { url: `${location.origin}/start`, title: 'Start' }]])
  })

  it('records leave and view on pushState, with the title set right after', async () => {
    now = 4500
    history.pushState({}, '', '/reports?id=7')
    document.title = 'Reports'
    await settle()
    expect(calls.slice(1)).toEqual([
      ['leave', { url: `${location.origin}/start`, title: 'Start' }, { $time_on_page_ms: 3500, $scroll_depth: 100 }],
      ['view', { url: `${location.origin}/reports?id=7`, title: 'Reports' }],
    ])
  })

  it('ignores history calls that keep the URL', async () => {
    history.replaceState({ tab: 2 }, '')
    history.pushState({ tab: 3 }, '', location.href)
    await settle()
    expect(calls).toHaveLength(1)
  })

  it('follows replaceState, popstate and hashchange when the URL changes', async () => {
    history.replaceState(null, '', '/a')
    await settle()
    history.pushState(null, '', '/b')
    await settle()
    history.back()
    // history.back() completes asynchronously; on a loaded machine that can take longer than a timer tick.
    await vi.waitFor(() => expect(location.pathname).toBe('/a'))
    await settle()
    location.hash = '#/settings'
    await settle()
    const views = calls.filter((c) => c[0] === 'view').map((c) => new URL(c[1].url).pathname + new URL(c[1].url).hash)
    expect(views).toEqual(['/start', '/a', '/b', '/a', '/a#/settings'])
    expect(calls.filter((c) => c[0] === 'leave')).toHaveLength(4)
  })

  it('views and leaves a page left again before its view was due, each with the title it had', async () => {
    history.pushState(null, '', '/r')
    document.title = 'R'
    history.pushState(null, '', '/s')
    document.title = 'S'
    await settle()
    expect(calls.map((c) => [c[0], new URL(c[1].url).pathname, c[1].title])).toEqual([
      ['view', '/start', 'Start'],
      ['leave', '/start', 'Start'],
      ['view', '/r', 'R'],
      ['leave', '/r', 'R'],
      ['view', '/s', 'S'],
    ])
  })

  it('keeps recording when the sink throws, and never throws into the page', async () => {
    nav.stop()
    calls = []
    nav = startNavigation(window, {
      pageview: (p) => {
        calls.push(['view', p])
        throw new Error('sink')
      },
      pageleave: () => {
        throw new Error('sink')
      },
    })
    expect(() => history.pushState(null, '', '/t')).not.toThrow()
    await settle()
    expect(calls.map((c) => new URL(c[1].url).pathname)).toEqual(['/start', '/t'])
  })

  it('counts two quick navigations in one task as one', async () => {
    history.pushState(null, '', '/x')
    history.replaceState(null, '', '/y')
    await settle()
    expect(calls.map((c) => c[0])).toEqual(['view', 'leave', 'view'])
    expect(calls[2]![1].url).toBe(`${location.origin}/y`)
  })

  it('reports the deepest scroll seen on the page', () => {
    nav.stop()
    const d = document.documentElement
    Object.defineProperty(d, 'scrollHeight', { configurable: true, value: 4000 })
    Object.defineProperty(window, 'innerHeight', { configurable: true, value: 1000 })
    Object.defineProperty(window, 'scrollY', { configurable: true, writable: true, value: 0 })
    calls = []
    nav = startNavigation(window, { pageview: (p) => calls.push(['view', p]), pageleave: (p, props) => calls.push(['leave', p, props]) }, () => now)
    const scrollTo = (y: number) => {
      ;(window as { scrollY: number }).scrollY = y
      window.dispatchEvent(new Event('scroll'))
    }
    scrollTo(2000)
    scrollTo(500)
    nav.exit()
    expect(calls[1]).toEqual(['leave', calls[0]![1], { $time_on_page_ms: 0, $scroll_depth: 75 }])
    delete (d as { scrollHeight?: number }).scrollHeight
    delete (window as { scrollY?: number }).scrollY
  })

  it('leaves once on exit, and views again when restored from the back-forward cache', () => {
    nav.exit()
    nav.exit()
    expect(calls.map((c) => c[0])).toEqual(['view', 'leave'])
    const show = new Event('pageshow') as Event & { persisted: boolean }
    Object.defineProperty(show, 'persisted', { value: true })
    window.dispatchEvent(show)
    expect(calls.map((c) => c[0])).toEqual(['view', 'leave', 'view'])
  })

  it('stops listening when stopped', async () => {
    nav.stop()
    history.pushState(null, '', '/after-stop')
    await settle()
    expect(calls).toHaveLength(1)
  })
})
