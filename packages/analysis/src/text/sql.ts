import { PRIVATE_TEXT, tokenSqlForProject } from './token.js'

/**
 * SQL pieces for stored element text, which is a token (see token.ts). `project` is a placeholder
 * such as `{project:String}`; needles are placeholders too. All are valid over an events row and
 * over an `element_chains` row alike, since both hold tokens.
 */

/** Token column `column` equals the token of `needle` (matches below k people too). */
export function textEqualsSql(column: string, needle: string, project: string): string {
  return `${column} = ${tokenSqlForProject(needle, project)}`
}

/** Token column `column` is a public text containing `needle` (case-insensitive). */
export function textContainsSql(column: string, needle: string, project: string): string {
  return `has(${publicTokensWhere(`positionCaseInsensitiveUTF8(text, ${needle}) > 0`, project)}, ${column})`
}

/** Public text containing any of the needles in `needles` (an Array(String) placeholder). */
export function textContainsAnySql(column: string, needles: string, project: string): string {
  return `has(${publicTokensWhere(`arrayExists(n -> positionCaseInsensitiveUTF8(text, n) > 0, ${needles})`, project)}, ${column})`
}

/** A scalar subquery: the project's public tokens whose text satisfies `cond`, as one array (evaluated once per query). */
function publicTokensWhere(cond: string, project: string): string {
  return `(SELECT groupUniqArray(token) FROM element_texts WHERE project_id = ${project} AND ${cond})`
}

/** The plain text of token column `column`: public text, '' for none, else the private marker. */
export function plainTextSql(column: string, project: string): string {
  const dict = `(SELECT (groupArray(token), groupArray(text)) FROM (SELECT token, any(text) AS text FROM element_texts WHERE project_id = ${project} GROUP BY token))`
  return `if(${column} = '', '', transform(${column}, tupleElement(${dict}, 1), tupleElement(${dict}, 2), '${PRIVATE_TEXT}'))`
}

/** A token resolved with a dictionary read by `publicTexts`. */
export function plainText(token: string, dict: ReadonlyMap<string, string>): string {
  if (!token) return ''
  return dict.get(token) ?? PRIVATE_TEXT
}
