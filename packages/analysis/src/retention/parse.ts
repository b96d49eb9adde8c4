export { parseInput as parseParams } from '../errors.js'
