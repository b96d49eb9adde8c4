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
 *
 * A URL change is seen in the call or event that made it, so a page left again at once (a script
 * going back right after a push) still has its view and leave. Its view waits for a task of its
 * own because routers set the title after changing the URL, usually in the same task; a
 * replaceState before that view only corrects the URL, since the entry it replaced was never shown.
 */
export function startNavigation(win: Window, sink: NavigationSink, now: () => number = Date.now): Navigation {
  let page: Page
  let since = 0
  let depth = 0
  let left = false
  let viewed = false
  let active = true

  const safely = (fn: () => void) => {
    try {
      fn()
    } catch {
      // Nothing to record then; the page goes on.
    }
  }
  const announce = () => {
    if (viewed) return
    viewed = true
    page.title = win.document.title
    const shown = { ...page }
    safely(() => sink.pageview(shown))
  }
  const begin = (url: string) => {
    const p: Page = { url, title: '' }
    page = p
    since = now()
    depth = scrollDepth(win)
    left = false
    viewed = false
    win.setTimeout(() => {
      if (page === p) announce()
    }, 0)
  }
  const leave = () => {
    if (left) return
    announce()
    left = true
    depth = Math.max(depth, scrollDepth(win))
    const props = { $time_on_page_ms: Math.max(0, now() - since), $scroll_depth: depth }
    const shown = { ...page }
    safely(() => sink.pageleave(shown, props))
  }
  const change = (replace: boolean) => {
    const url = win.location.href
    if (!active || url === page.url) return
    if (replace && !viewed) {
      page.url = url
      return
    }
    leave()
    begin(url)
  }
  // Called inside the host's own pushState and event handlers: nothing of ours may throw there.
  const follow = (replace: boolean) => safely(() => change(replace))
  const onPop = () => follow(false)
  const onScroll = () => {
    const d = scrollDepth(win)
    if (d > depth) depth = d
  }
  const onShow = (e: Event) => {
    if (!active || !(e as PageTransitionEvent).persisted) return
    begin(win.location.href)
    announce()
  }

  const h = win.history
  for (const m of ['pushState', 'replaceState'] as const) {
    const original = h[m]
    // Wrapped, never restored: another script may have wrapped ours since.
    h[m] = function (this: History, ...args: Parameters<History['pushState']>) {
      const r = original.apply(this, args)
      follow(m === 'replaceState')
      return r
    }
  }
  win.addEventListener('popstate', onPop)
  win.addEventListener('hashchange', onPop)
  win.addEventListener('scroll', onScroll, { passive: true })
  win.addEventListener('pageshow', onShow)
  begin(win.location.href)
  announce()

  return {
    exit: () => {
      if (active) leave()
    },
    stop() {
      active = false
      win.removeEventListener('popstate', onPop)
      win.removeEventListener('hashchange', onPop)
      win.removeEventListener('scroll', onScroll)
      win.removeEventListener('pageshow', onShow)
    },
  }
}
