/**
 * What a timeline shows for an event's element text. The one place that reads the stored value,
 * so that resolving a text token through a dictionary changes this function only.
 */
export function elementTextSql(column = 'element_text'): string {
  return column
}

/** The text to display for a stored element text value ('' when none). */
export function shownElementText(stored: string): string {
  return stored
}
