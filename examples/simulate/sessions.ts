import { BROWSE_PAGES, PAGES, featureSpec, type FeatureSpec, type PageKey } from './catalog.js'
import type { SessionNudges } from './nudges.js'
import type { Rng } from './random.js'

export interface SimElement {
  tag: string
  id?: string
  classes?: string[]
  attrs?: Record<string, string>
  text?: string
  nth?: number
}

/** One event shaped as the browser SDK sends it in `POST /v1/batch`. */
export interface SimEvent {
  uuid: string
  event: string
  timestamp: number
  anonymous_id: string
  user_id: string | null
  account_id: string | null
  session_id: string
  url: string
  referrer: string | null
  title: string
  feature_key: string | null
  elements: SimElement[] | null
  properties: Record<string, unknown>
}

/** The events of one visit from one device; `ua` is what the browser would send as User-Agent. */
export interface SimSession {
  ua: string
  events: SimEvent[]
  /** The account of the person visiting (also on the events once they are signed in). */
  accountId?: string
}

export interface SessionInput {
  rng: Rng
  siteUrl: string
  startMs: number
  anonymousId: string
  ua: string
  userId: string
  accountId: string
  accountName: string
  plan: string
  admin: boolean
  /** First visit from this device: sign in first, which identifies the browser and sets its account. */
  signIn: boolean
  /** Feature keys used in this visit, in order. */
  features: string[]
  /** Pages visited without using a feature there. */
  browse: PageKey[]
  rageClick: boolean
  /** The SDK's nudge plugin, when nudges run for this person today: it sees every page view once signed in. */
  nudges?: SessionNudges
}

const NAV_ORDER: PageKey[] = ['dashboard', 'projects', 'reports', 'integrations', 'team', 'billing', 'help']

/** Builds one visit: page views, navigation clicks, feature clicks with their follow-up events, page leaves. */
export function buildSession(input: SessionInput): SimSession {
  const { rng } = input
  const sessionId = `s_${rng.uuid().replace(/-/g, '').slice(0, 16)}`
  const events: SimEvent[] = []
  let t = input.startMs
  // After sign-in the SDK keeps the user and the account: later visits carry both from the start.
  let userKnown = !input.signIn
  let accountKnown = !input.signIn
  let page: PageKey | null = null
  let pageSince = t

  const url = (p: PageKey) => `${input.siteUrl}${PAGES[p].file}`
  const push = (event: string, fields: Partial<SimEvent> = {}): void => {
    events.push({
      uuid: rng.uuid(),
      event,
      timestamp: t,
      anonymous_id: input.anonymousId,
      user_id: userKnown ? input.userId : null,
      account_id: accountKnown ? input.accountId : null,
      session_id: sessionId,
      url: page ? url(page) : url('login'),
      referrer: null,
      title: page ? PAGES[page].title : PAGES.login.title,
      feature_key: null,
      elements: null,
      properties: {},
      ...fields,
    })
    // Time to the next action: reading, typing, thinking — visits last minutes, not seconds.
    t += rng.int(3_000, 90_000)
  }
  const goTo = (next: PageKey, viaNav: boolean): void => {
    if (page === next) return
    const previous = page
    if (previous && viaNav) push('$click', { elements: navChain(input.siteUrl, next) })
    if (previous) push('$pageleave', { properties: { $time_on_page_ms: t - pageSince, $scroll_depth: rng.int(0, 100) } })
    page = next
    pageSince = t
    push('$pageview', { referrer: previous ? url(previous) : null })
    if (userKnown) nudgesOnPage()
  }
  const done = new Set<string>()
  const useFeature = (f: FeatureSpec, viaNav: boolean): void => {
    goTo(f.page, viaNav)
    push('$click', { elements: featureChain(f), feature_key: f.element.marked ? f.key : null })
    if (f.then?.event === '$submit') {
      push('$submit', { elements: [{ tag: 'form', id: `${f.key.replace('.', '-')}-form`, nth: 1 }, { tag: 'main', nth: 1 }, { tag: 'body', nth: 1 }] })
    } else if (f.then && 'properties' in f.then) {
      push(f.then.event, { properties: f.then.properties(rng.int(0, 40)) })
    }
    done.add(f.key)
    input.nudges?.onFeature(f.key)
  }
  // A followed call to action is a link to the feature's page (a page load, no navigation click);
  // people who go there through the menu click its navigation link.
  const nudgesOnPage = (): void => {
    const step = input.nudges?.onPageview(t)
    if (!step) return
    for (const e of step.events) push(e.event, { properties: e.properties })
    if (step.follow) useFeature(featureSpec(step.follow.feature), !step.follow.viaLink)
  }

  if (input.signIn) {
    page = 'login'
    push('$pageview')
    push('$click', { elements: loginChain() })
    push('$submit', { elements: [{ tag: 'form', id: 'login-form', nth: 1 }, { tag: 'main', nth: 1 }, { tag: 'body', nth: 1 }] })
    userKnown = true
    push('$identify', { properties: { role: input.admin ? 'admin' : 'member' } })
    accountKnown = true
    push('$group', { properties: { name: input.accountName, plan: input.plan } })
    goTo('dashboard', false)
  } else {
    goTo('dashboard', false)
  }

  const steps: ({ feature: FeatureSpec } | { browse: PageKey })[] = [
    ...input.features.map((key) => ({ feature: featureSpec(key) })),
    ...input.browse.map((p) => ({ browse: p })),
  ]
  shuffle(rng, steps)
  for (const step of steps) {
    if ('browse' in step) {
      goTo(step.browse, true)
      if (rng.chance(0.4)) push('$click', { elements: rowChain(rng, step.browse) })
      continue
    }
    // Already used in this visit, through a nudge's call to action.
    if (done.has(step.feature.key)) continue
    useFeature(step.feature, true)
  }
  if (input.rageClick && page) {
    const chain = rowChain(rng, page)
    for (let i = 0; i < 3; i++) push('$click', { elements: chain })
    push('$rageclick', { elements: chain })
  }
  push('$pageleave', { properties: { $time_on_page_ms: t - pageSince, $scroll_depth: rng.int(0, 100) } })
  return { ua: input.ua, events, accountId: input.accountId }
}

function shuffle<T>(rng: Rng, items: T[]): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(0, i)
    const tmp = items[i]!
    items[i] = items[j]!
    items[j] = tmp
  }
}

// Element chains as the SDK describes them: target first, `nth` counts same-tag siblings from 1,
// `data-feature` travels as the event's feature_key (not as an attribute), links keep their URL.
function navChain(siteUrl: string, target: PageKey): SimElement[] {
  const nth = NAV_ORDER.indexOf(target) + 1
  return [
    { tag: 'a', classes: ['nav-link'], attrs: { href: `${siteUrl}${PAGES[target].file}` }, text: PAGES[target].nav, nth: 1 },
    { tag: 'li', nth },
    { tag: 'ul', classes: ['nav'], nth: 1 },
    { tag: 'nav', id: 'sidebar', nth: 1 },
    { tag: 'body', nth: 1 },
  ]
}

function loginChain(): SimElement[] {
  return [
    { tag: 'button', classes: ['btn', 'btn-primary'], attrs: { type: 'submit' }, text: 'Sign in', nth: 2 },
    { tag: 'form', id: 'login-form', nth: 1 },
    { tag: 'main', nth: 1 },
    { tag: 'body', nth: 1 },
  ]
}

function featureChain(f: FeatureSpec): SimElement[] {
  const target: SimElement = { tag: f.element.tag, classes: f.element.classes, text: f.element.text, nth: 1 }
  if (f.element.id) target.id = f.element.id
  return [
    target,
    { tag: 'div', classes: [f.element.container], nth: 1 },
    { tag: 'section', id: f.page, nth: 1 },
    { tag: 'main', nth: 1 },
    { tag: 'body', nth: 1 },
  ]
}

/** A click on a list row — activity that is no feature. */
function rowChain(rng: Rng, page: PageKey): SimElement[] {
  const n = rng.int(1, 12)
  return [
    { tag: 'a', classes: ['row-link'], text: `Item ${n}`, nth: 1 },
    { tag: 'li', classes: ['row'], nth: n },
    { tag: 'ul', classes: ['list'], nth: 1 },
    { tag: 'section', id: page, nth: 1 },
    { tag: 'main', nth: 1 },
    { tag: 'body', nth: 1 },
  ]
}

export { BROWSE_PAGES }
