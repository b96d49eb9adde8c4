export interface Page {
  url: string
  title: string
}

export interface NavigationSink {
  pageview(page: Page): void
  pageleave(page: Page, properties: { $time_on_page_ms: number; $scroll_depth: number }): void
}

export interface Navigation {
  /** The page is being hidden for good (pagehide): its leave event, once. */
  exit(): void
  stop(): void
}

/** Percentage of the document seen so far: the bottom of the viewport over the document height. */
export function scrollDepth(win: Window): number {
  const d = win.document.documentElement
  const height = Math.max(d.scrollHeight, win.document.body?.scrollHeight ?? 0)
  if (height <= 0) return 100
  const seen = (win.scrollY || d.scrollTop || 0) + win.innerHeight
  return Math.max(0, Math.min(100, Math.round((seen / height) * 100)))
}

/**
 * Page views on load and on every SPA navigation that changes the URL (history pushState and
 * replaceState, popstate, hashchange); a page leave, with time on page and the deepest scroll,
 * for each page left — by navigation or by closing. A page restored from the back-forward cache
 * is viewed again.
 */
export function startNavigation(win: Window, sink: NavigationSink, now: () => number = Date.now): Navigation {
  let page: Page
  let since = 0
  let depth = 0
  let left = false
  let active = true

  const view = () => {
    page = { url: win.location.href, title: win.document.title }
    since = now()
    depth = scrollDepth(win)
    left = false
    sink.pageview(page)
  }
  const leave = () => {
    if (left) return
    left = true
    depth = Math.max(depth, scrollDepth(win))
    sink.pageleave(page, { $time_on_page_ms: Math.max(0, now() - since), $scroll_depth: depth })
  }
  const check = () => {
    if (!active || win.location.href === page.url) return
    leave()
    view()
  }
  // The router sets the title after changing the URL, usually in the same task: look once it ran.
  const soon = () => setTimeout(check, 0)
  const onScroll = () => {
    const d = scrollDepth(win)
    if (d > depth) depth = d
  }
  const onShow = (e: Event) => {
    if (active && (e as PageTransitionEvent).persisted) view()
  }

  const h = win.history
  for (const m of ['pushState', 'replaceState'] as const) {
    const original = h[m]
    // Wrapped, never restored: another script may have wrapped ours since.
    h[m] = function (this: History, ...args: Parameters<History['pushState']>) {
      const r = original.apply(this, args)
      if (active) soon()
      return r
    }
  }
  win.addEventListener('popstate', soon)
  win.addEventListener('hashchange', soon)
  win.addEventListener('scroll', onScroll, { passive: true })
  win.addEventListener('pageshow', onShow)
  view()

  return {
    exit: () => {
      if (active) leave()
    },
    stop() {
      active = false
      win.removeEventListener('popstate', soon)
      win.removeEventListener('hashchange', soon)
      win.removeEventListener('scroll', onScroll)
      win.removeEventListener('pageshow', onShow)
    },
  }
}
