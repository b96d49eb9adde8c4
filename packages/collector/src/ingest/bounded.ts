/** How many old keys one insertion forgets at most, beyond what the most requires. */
const OLD_KEYS_PER_INSERTION = 2

/** When a full map may grow past its size instead of forgetting its oldest key. */
export interface Growth<V> {
  /** The most keys the map ever holds. */
  maxSize: number
  /** Whether the oldest key, with this value, must still be kept (the map then grows). */
  keep: (value: V) => boolean
}

/**
 * A map that keeps at most `size` keys, forgetting the oldest insertion first, or up to
 * `growth.maxSize` while its oldest key must be kept. Keys wait in insertion order in a queue, so
 * eviction is O(1): evicting through `map.keys().next()` slows down as deleted slots pile up at
 * the front of the hash table.
 */
export class BoundedMap<V> {
  private readonly map = new Map<string, V>()
  private queue: string[] = []
  private head = 0

  constructor(
    private readonly size: number,
    /** Told of each key forgotten to make room, with its value. */
    private readonly onEvict?: (value: V) => void,
    private readonly growth?: Growth<V>,
  ) {}

  get(key: string): V | undefined {
    return this.map.get(key)
  }

  has(key: string): boolean {
    return this.map.has(key)
  }

  set(key: string, value: V): void {
    if (!this.map.has(key)) {
      // Old keys past the size go a few per insertion: after a quiet spell, the first insertion
      // would otherwise forget a whole span of keys while requests wait.
      let spare = OLD_KEYS_PER_INSERTION
      while (this.head < this.queue.length) {
        const old = this.queue[this.head]!
        const live = this.map.has(old)
        if (live && this.map.size < (this.growth?.maxSize ?? this.size)) {
          if (this.map.size < this.size || this.growth!.keep(this.map.get(old)!) || spare-- === 0) break
        }
        this.head++
        // A key deleted and added again waits twice and goes at its older place: early, which a cache can afford.
        if (live) {
          this.onEvict?.(this.map.get(old)!)
          this.map.delete(old)
        }
      }
      this.queue.push(key)
      // Drop the queue's consumed front now and then: amortised O(1) per key.
      if (this.head > 1024 && this.head * 2 > this.queue.length) {
        this.queue = this.queue.slice(this.head)
        this.head = 0
      }
    }
    this.map.set(key, value)
  }

  delete(key: string): void {
    this.map.delete(key)
  }

  get count(): number {
    return this.map.size
  }
}

/** One BoundedMap per project, each of `size` keys, made on first use. */
export class PerProject<V> {
  private readonly maps = new Map<string, BoundedMap<V>>()

  constructor(
    private readonly size: number,
    /** Told of each key a project's map forgets to make room, with its value. */
    private readonly onEvict?: (project: string, value: V) => void,
    private readonly growth?: Growth<V>,
  ) {}

  of(project: string): BoundedMap<V> {
    let m = this.maps.get(project)
    const onEvict = this.onEvict
    if (!m) this.maps.set(project, (m = new BoundedMap(this.size, onEvict && ((v: V) => onEvict(project, v)), this.growth)))
    return m
  }

  /** The project's map if it has one (reads that must not create it). */
  peek(project: string): BoundedMap<V> | undefined {
    return this.maps.get(project)
  }
}
