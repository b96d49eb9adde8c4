/** The little the SDK needs from a key-value store; never throws. */
export interface KV {
  get(key: string): string | null
  /** False when the store refused (quota, private mode). */
  set(key: string, value: string): boolean
  remove(key: string): void
}

export function memoryKV(): KV {
  const m = new Map<string, string>()
  return {
    get: (k) => m.get(k) ?? null,
    set: (k, v) => (m.set(k, v), true),
    remove: (k) => void m.delete(k),
  }
}

/**
 * localStorage when it works (it throws in some private modes and sandboxed frames, and on quota),
 * memory otherwise: events then survive the page's life but not a reload.
 */
export function browserKV(): KV {
  let ls: Storage
  try {
    ls = window.localStorage
    const probe = '__tenure_probe'
    ls.setItem(probe, '1')
    ls.removeItem(probe)
  } catch {
    return memoryKV()
  }
  return {
    get(k) {
      try {
        return ls.getItem(k)
      } catch {
        return null
      }
    },
    set(k, v) {
      try {
        ls.setItem(k, v)
        return true
      } catch {
        return false
      }
    },
    remove(k) {
      try {
        ls.removeItem(k)
      } catch {
        // nothing to do
      }
    },
  }
}

export function readJSON<T>(kv: KV, key: string): T | null {
  const raw = kv.get(key)
  if (!raw) return null
  try {
    return JSON.parse(raw) as T
  } catch {
    return null
  }
}
