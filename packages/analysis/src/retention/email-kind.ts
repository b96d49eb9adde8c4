/**
 * Whether an address is a person's own or their employer's: a B2B product's people who sign up
 * with a personal address are often trying it for themselves, not for a team, and return less.
 */
export function emailKind(value: string): 'personal' | 'work' | null {
  const at = value.lastIndexOf('@')
  if (at <= 0 || /\s/.test(value)) return null
  const domain = value.slice(at + 1).toLowerCase()
  if (!/^[\w-]+(\.[\w-]+)+$/.test(domain)) return null
  return PERSONAL_DOMAINS.has(domain) || PERSONAL_FAMILIES.test(domain) ? 'personal' : 'work'
}

/** The name of the trait `emailKind` adds beside an identify call's address. */
export const EMAIL_KIND_TRAIT = 'email address (work or personal)'

/** Mailbox providers anyone can sign up to, the widely used ones. */
const PERSONAL_DOMAINS = new Set([
  'gmail.com', 'googlemail.com', 'icloud.com', 'me.com', 'mac.com', 'aol.com', 'msn.com', 'ymail.com', 'rocketmail.com',
  'proton.me', 'protonmail.com', 'pm.me', 'tutanota.com', 'hey.com', 'fastmail.com', 'zoho.com', 'mail.com', 'email.com',
  'web.de', 't-online.de', 'freenet.de', 'mail.ru', 'bk.ru', 'inbox.ru', 'list.ru', 'rambler.ru', 'qq.com', '163.com', '126.com',
  'sina.com', 'naver.com', 'daum.net', 'hanmail.net', 'libero.it', 'virgilio.it', 'orange.fr', 'free.fr', 'laposte.net', 'sfr.fr',
  'wanadoo.fr', 'seznam.cz', 'wp.pl', 'o2.pl', 'interia.pl', 'onet.pl', 'rediffmail.com', 'uol.com.br', 'bol.com.br', 'terra.com.br',
  'comcast.net', 'verizon.net', 'att.net', 'sbcglobal.net', 'btinternet.com', 'sky.com', 'shaw.ca', 'rogers.com', 'bigpond.com',
])

/** Providers with an address on many country domains (yahoo.co.uk, hotmail.fr, gmx.at, …). */
const PERSONAL_FAMILIES = /^(yahoo|hotmail|outlook|live|gmx|yandex)\.[a-z.]+$/
