export { textToken, isToken, newTextKey, hmacPads, keyFromPad, PRIVATE_TEXT, TOKEN_HEX } from './token.js'
export { textEqualsSql, textContainsSql, textContainsAnySql, plainTextSql, plainText } from './sql.js'
export { DEFAULT_K, MAX_K, textKeyFor, textThreshold, setTextThreshold, tokensAtThreshold, publishTexts, publicTexts } from './store.js'
export { tokeniseStoredText } from './legacy.js'
