/** Adds `value` to the list under `key`, starting the list on its first value (in place: no copy per value). */
export function pushTo<K, V>(lists: Map<K, V[]>, key: K, value: V): void {
  const list = lists.get(key)
  if (list) list.push(value)
  else lists.set(key, [value])
}
