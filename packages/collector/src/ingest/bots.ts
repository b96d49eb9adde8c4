/**
 * Bot detection on the user agent. Crawlers, uptime checkers, link previewers and HTTP
 * libraries announce themselves; headless browsers are automation, counted as bots unless allowed.
 */
const BOT_PATTERN =
  /bot\b|bot\/|crawl|spider|slurp|scrap|mediapartners|facebookexternalhit|embedly|quora link preview|vkshare|w3c_validator|lighthouse|pagespeed|pingdom|uptimerobot|statuscake|site24x7|newrelicpinger|datadog|gtmetrix|phantomjs|selenium|puppeteer|playwright|python-requests|python-urllib|aiohttp|go-http-client|java\/|okhttp|libwww|wget|curl\/|httpclient|axios\/|node-fetch|undici|postman|insomnia/i

const HEADLESS = /headless/i

export function isBot(ua: string | undefined, opts: { allowHeadless?: boolean } = {}): boolean {
  if (!ua) return true // every real browser sends one
  if (BOT_PATTERN.test(ua)) return true
  return !opts.allowHeadless && HEADLESS.test(ua)
}
