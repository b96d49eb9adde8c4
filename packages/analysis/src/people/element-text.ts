import { plainTextSql } from '../text/sql.js'

/**
 * What a timeline shows for an event's element text. Stored text is a token (text/token.ts); it
 * reads as plain only once enough people produced it (the `element_texts` dictionary), otherwise
 * as the private-text marker. The query must bind `{project:String}`.
 */
export function elementTextSql(column = 'element_text'): string {
  return plainTextSql(column, '{project:String}')
}

/** The text to display for a resolved element text value ('' when none). */
export function shownElementText(resolved: string): string {
  return resolved
}
