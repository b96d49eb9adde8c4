/** Health × temperature: where an account sits and what to do about it (metrics spec §6). */
export type Quadrant = 'expand' | 'convert' | 'investigate' | 'train'

export const QUADRANT_ACTIONS: Record<Quadrant, string> = {
  expand: 'High health, high temperature: offer new features first.',
  convert: 'Low health, high temperature: convert now.',
  investigate: 'High health, low temperature: find out why — often many people share one seat.',
  train: 'Low health, low temperature: train them and steer them to high-retention features.',
}

export interface QuadrantThresholds {
  health: number
  temperature: number
}
export const DEFAULT_QUADRANT_THRESHOLDS: QuadrantThresholds = { health: 50, temperature: 50 }

export function quadrantOf(health: number, temperature: number, t: QuadrantThresholds = DEFAULT_QUADRANT_THRESHOLDS): Quadrant {
  const healthy = health >= t.health
  const hot = temperature >= t.temperature
  if (healthy) return hot ? 'expand' : 'investigate'
  return hot ? 'convert' : 'train'
}
