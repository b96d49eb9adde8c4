/** Event names the SDK and the collector write; custom `track()` names are free text beside these. */
export const EVENTS = {
  pageview: '$pageview',
  pageleave: '$pageleave',
  click: '$click',
  submit: '$submit',
  change: '$change',
  rageclick: '$rageclick',
  identify: '$identify',
  group: '$group',
  nudgeShown: '$nudge_shown',
  nudgeClicked: '$nudge_clicked',
  nudgeDismissed: '$nudge_dismissed',
  nudgeHeldOut: '$nudge_held_out',
} as const

/** Events that a person did not cause: they never make a user active (metrics spec §1). */
export const NON_ACTIVITY_EVENTS: readonly string[] = [
  EVENTS.pageleave,
  EVENTS.identify,
  EVENTS.group,
  EVENTS.nudgeShown,
  EVENTS.nudgeClicked,
  EVENTS.nudgeDismissed,
  EVENTS.nudgeHeldOut,
]
