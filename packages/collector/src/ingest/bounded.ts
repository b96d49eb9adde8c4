/**
 * A map that keeps at most `size` keys, forgetting the oldest insertion first. A ring of keys
 * makes eviction O(1): evicting through `map.keys().next()` slows down as deleted slots pile up
 * at the front of the hash table.
 */
export class BoundedMap<V> {
  private readonly map = new Map<string, V>()
  private readonly ring: (string | undefined)[]
  private pos = 0

  constructor(
    private readonly size: number,
    /** Told of each key forgotten to make room, with its value. */
    private readonly onEvict?: (value: V) => void,
  ) {
    this.ring = new Array(size)
  }

  get(key: string): V | undefined {
    return this.map.get(key)
  }

  has(key: string): boolean {
    return this.map.has(key)
  }

  set(key: string, value: V): void {
    if (!this.map.has(key)) {
      const old = this.ring[this.pos]
      // A key deleted and added again holds two slots and goes at the older one: early, which a cache can afford.
      if (old !== undefined) {
        if (this.onEvict && this.map.has(old)) this.onEvict(this.map.get(old)!)
        this.map.delete(old)
      }
      this.ring[this.pos] = key
      this.pos = (this.pos + 1) % this.size
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
  ) {}

  of(project: string): BoundedMap<V> {
    let m = this.maps.get(project)
    const onEvict = this.onEvict
    if (!m) this.maps.set(project, (m = new BoundedMap(this.size, onEvict && ((v: V) => onEvict(project, v)))))
    return m
  }

  /** The project's map if it has one (reads that must not create it). */
  peek(project: string): BoundedMap<V> | undefined {
    return this.maps.get(project)
  }
}
