import { parseSimConfig, type SimConfigInput } from './config.js'
import { Simulation } from './simulate.js'

const PILOT_USERS = 400

/** Average events per user for a configuration, measured on a small pilot run of the same world. */
export function eventsPerUser(input: SimConfigInput): number {
  const cfg = parseSimConfig({ ...input, users: PILOT_USERS })
  const sim = new Simulation(cfg)
  let events = 0
  for (const s of sim.sessions()) events += s.events.length
  return events / sim.users.length
}

/** Users to simulate so that the run produces about `events` events. */
export function usersForEvents(input: SimConfigInput, events: number): number {
  return Math.max(1, Math.round(events / eventsPerUser(input)))
}
