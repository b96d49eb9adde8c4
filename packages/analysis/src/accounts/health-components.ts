import type { WindowUsage } from './usage.js'

/**
 * Usage measures a health score can combine (at most five at once). `feature:<key>` is the share of
 * the account's active people who used that feature.
 */
export const COMPONENT_NAMES = [
  'active_users', 'seat_utilisation', 'active_days_per_user', 'feature_breadth', 'usage_trend', 'help_views_per_user', 'support_contacts',
] as const
export type ComponentName = (typeof COMPONENT_NAMES)[number] | `feature:${string}`

export const DEFAULT_COMPONENTS: ComponentName[] = ['seat_utilisation', 'active_days_per_user', 'feature_breadth', 'usage_trend']
export const MAX_COMPONENTS = 5

export function isComponentName(name: string): name is ComponentName {
  return (COMPONENT_NAMES as readonly string[]).includes(name) || /^feature:.{1,200}$/.test(name)
}

export const COMPONENT_DESCRIPTIONS: Record<(typeof COMPONENT_NAMES)[number], string> = {
  active_users: 'people active in the window',
  seat_utilisation: 'active people / seats bought',
  active_days_per_user: 'active days per active person',
  feature_breadth: 'distinct features used',
  usage_trend: 'person-days in the second half of the window vs the first, from −1 (all early) to +1 (all late)',
  help_views_per_user: 'help-page views per active person',
  support_contacts: 'support contacts',
}

/** The value of one component for one account-window; null when it cannot be known (seats not given). */
export function componentValue(name: ComponentName, u: WindowUsage, seats: number | null): number | null {
  const perUser = (x: number) => (u.activeUsers === 0 ? 0 : x / u.activeUsers)
  switch (name) {
    case 'active_users':
      return u.activeUsers
    case 'seat_utilisation':
      return seats ? u.activeUsers / seats : null
    case 'active_days_per_user':
      return perUser(u.activeUserDays)
    case 'feature_breadth':
      return u.featuresUsed
    case 'usage_trend':
      return u.activeUserDays === 0 ? 0 : (2 * u.recentUserDays - u.activeUserDays) / u.activeUserDays
    case 'help_views_per_user':
      return perUser(u.helpViews)
    case 'support_contacts':
      return u.supportContacts
    default:
      return perUser(u.features.get(name.slice('feature:'.length))?.users ?? 0)
  }
}
