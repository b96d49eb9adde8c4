export { Params, type ParamType, type SqlFragment } from './params.js'
export { ALIASES_CTE, PERSON_TARGETS_CTE, PERSON_USES_CTE, ACCOUNT_TARGETS_CTE, TARGET_FILTER, daysOf } from './persons.sql.js'
