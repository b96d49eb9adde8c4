/**
 * The product the simulator pretends to be: the demo app's pages and features, and how each
 * feature shows up in captured events. Some carry `data-feature` (the SDK sends `feature_key`),
 * the rest are left to retroactive definitions over text, selectors, URLs or custom events —
 * the same split the demo app's HTML has.
 */
export interface PageSpec {
  key: string
  /** Path below the site's base path. */
  file: string
  title: string
  /** Navigation link text in the sidebar. */
  nav: string
}

export const PAGES = {
  login: { key: 'login', file: '/', title: 'Sign in · Planboard', nav: 'Sign in' },
  dashboard: { key: 'dashboard', file: '/dashboard.html', title: 'Dashboard · Planboard', nav: 'Dashboard' },
  projects: { key: 'projects', file: '/projects.html', title: 'Projects · Planboard', nav: 'Projects' },
  reports: { key: 'reports', file: '/reports.html', title: 'Reports · Planboard', nav: 'Reports' },
  integrations: { key: 'integrations', file: '/integrations.html', title: 'Integrations · Planboard', nav: 'Integrations' },
  team: { key: 'team', file: '/team.html', title: 'Team · Planboard', nav: 'Team' },
  billing: { key: 'billing', file: '/billing.html', title: 'Billing · Planboard', nav: 'Billing' },
  help: { key: 'help', file: '/help.html', title: 'Help · Planboard', nav: 'Help' },
} as const satisfies Record<string, PageSpec>

export type PageKey = keyof typeof PAGES

/** How a feature is recognised in raw events, independent of any analysis API. */
export type FeatureMatch =
  | { kind: 'feature_key'; featureKey: string }
  | { kind: 'element'; selector?: string; text?: string }
  | { kind: 'event'; event: string }

/** What the simulator makes the feature do — the ground truth the reports should find. */
export type FeatureRole = 'retention' | 'power' | 'renewal' | 'neutral' | 'intent' | 'confounded'

export interface FeatureSpec {
  key: string
  name: string
  page: PageKey
  /** The clicked element; `data-feature` marked ones carry the key in attrs. */
  element: { tag: string; id?: string; classes: string[]; text: string; marked: boolean; container: string }
  /** An extra event that follows the click: a form submit or a custom `track()` call. */
  then?: { event: '$submit' } | { event: string; properties: (n: number) => Record<string, unknown> }
  match: FeatureMatch
}

export const FEATURES: readonly FeatureSpec[] = [
  {
    key: 'reports.schedule',
    name: 'Schedule a report',
    page: 'reports',
    element: { tag: 'button', classes: ['btn', 'btn-primary'], text: 'Schedule report', marked: true, container: 'toolbar' },
    then: { event: '$submit' },
    match: { kind: 'feature_key', featureKey: 'reports.schedule' },
  },
  {
    key: 'integrations.connect',
    name: 'Connect an integration',
    page: 'integrations',
    element: { tag: 'button', classes: ['btn', 'connect'], text: 'Connect', marked: false, container: 'card' },
    match: { kind: 'element', selector: 'button.connect', text: 'Connect' },
  },
  {
    key: 'projects.bulk_edit',
    name: 'Bulk edit',
    page: 'projects',
    element: { tag: 'button', classes: ['btn'], text: 'Bulk edit', marked: true, container: 'toolbar' },
    match: { kind: 'feature_key', featureKey: 'projects.bulk_edit' },
  },
  {
    key: 'dashboard.share',
    name: 'Share a dashboard',
    page: 'dashboard',
    element: { tag: 'button', classes: ['btn'], text: 'Share', marked: true, container: 'toolbar' },
    match: { kind: 'feature_key', featureKey: 'dashboard.share' },
  },
  {
    key: 'projects.export_csv',
    name: 'Export CSV',
    page: 'projects',
    element: { tag: 'button', classes: ['btn', 'btn-link'], text: 'Export CSV', marked: false, container: 'toolbar' },
    match: { kind: 'element', text: 'Export CSV' },
  },
  {
    key: 'projects.comment',
    name: 'Comment on a project',
    page: 'projects',
    element: { tag: 'button', classes: ['btn'], text: 'Add comment', marked: true, container: 'comments' },
    then: { event: '$submit' },
    match: { kind: 'feature_key', featureKey: 'projects.comment' },
  },
  {
    key: 'search',
    name: 'Search',
    page: 'projects',
    element: { tag: 'button', id: 'search-button', classes: ['btn', 'icon'], text: 'Search', marked: false, container: 'header' },
    then: { event: 'search_performed', properties: (n) => ({ results: n }) },
    match: { kind: 'event', event: 'search_performed' },
  },
  {
    key: 'team.invite',
    name: 'Invite a teammate',
    page: 'team',
    element: { tag: 'button', id: 'invite-button', classes: ['btn', 'btn-primary'], text: 'Invite teammate', marked: false, container: 'toolbar' },
    then: { event: '$submit' },
    match: { kind: 'element', selector: '#invite-button' },
  },
  {
    key: 'billing.upgrade',
    name: 'Upgrade plan',
    page: 'billing',
    element: { tag: 'button', classes: ['btn', 'btn-primary'], text: 'Upgrade plan', marked: true, container: 'plan' },
    match: { kind: 'feature_key', featureKey: 'billing.upgrade' },
  },
]

export function featureSpec(key: string): FeatureSpec {
  const f = FEATURES.find((x) => x.key === key)
  if (!f) throw new Error(`unknown feature ${key}`)
  return f
}

/** Pages people wander to without using a feature there. */
export const BROWSE_PAGES: readonly PageKey[] = ['dashboard', 'projects', 'reports', 'integrations', 'team', 'help']

export const PLANS = {
  /** Self-serve workspaces without a contract (config `freeSignups`). */
  free: { name: 'Free', pricePerSeat: 0 },
  starter: { name: 'Starter', pricePerSeat: 15 },
  team: { name: 'Team', pricePerSeat: 30 },
  business: { name: 'Business', pricePerSeat: 55 },
} as const

export type PlanKey = keyof typeof PLANS

/** User agents of simulated devices; the collector derives browser, OS and device from them. */
export const USER_AGENTS: readonly string[] = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0',
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0',
  'Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
]

/** A feature definition as the analysis package takes it (id, name, rules combined with OR). */
export interface FeatureDefinitionInput {
  id: string
  name: string
  description: string
  rules: (
    | { type: 'feature_key'; key: string }
    | { type: 'element'; selector?: string; text?: string }
    | { type: 'event'; name: string }
  )[]
}

/** Feature ids are lower-case words with "-" or "_": `reports.schedule` becomes `reports-schedule`. */
export function featureId(key: string): string {
  return key.replace(/\./g, '-')
}

/** The definitions a product team would make in the dashboard for the demo app's features. */
export function featureDefinitions(): FeatureDefinitionInput[] {
  return FEATURES.map((f) => ({
    id: featureId(f.key),
    name: f.name,
    description: f.element.marked ? `data-feature="${f.key}" in the page` : 'defined after capture, over raw events',
    rules: [
      f.match.kind === 'feature_key'
        ? { type: 'feature_key' as const, key: f.match.featureKey }
        : f.match.kind === 'event'
          ? { type: 'event' as const, name: f.match.event }
          : { type: 'element' as const, ...(f.match.selector ? { selector: f.match.selector } : {}), ...(f.match.text ? { text: f.match.text } : {}) },
    ],
  }))
}
