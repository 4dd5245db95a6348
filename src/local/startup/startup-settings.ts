/** Startup parameters that are not settings: who connects, where, and how. */
const NOT_SETTINGS = new Set(['user', 'database', 'options', 'replication'])

/**
 * The settings a startup packet asks for, in the order Postgres applies them: its parameters other
 * than user, database, options and replication (and the `_pq_.` protocol options), then each
 * `-c name=value` / `--name=value` of `options` (libpq's PGOPTIONS), where `\` escapes the next
 * character (a space inside a value is `\ `), as libpq writes them.
 *
 * ### Examples
 * ```ts
 * startupSettings({ user: 'me', application_name: 'app', options: '-c search_path=a,b --TimeZone=Europe/Paris' })
 * // [['application_name', 'app'], ['search_path', 'a,b'], ['TimeZone', 'Europe/Paris']]
 * ```
 */
export function startupSettings(parameters: Readonly<Record<string, string>>): [string, string][] {
  const settings: [string, string][] = Object.entries(parameters).filter(
    ([name]) => !NOT_SETTINGS.has(name) && !name.startsWith('_pq_.'),
  )
  const words = optionWords(parameters.options ?? '')
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!
    const assignment =
      word === '-c' ? words[++i] : word.startsWith('-c') ? word.slice(2) : word.replace(/^--/, '')
    const equals = assignment?.indexOf('=') ?? -1
    if (assignment === undefined || equals <= 0) continue
    settings.push([assignment.slice(0, equals).replaceAll('-', '_'), assignment.slice(equals + 1)])
  }
  return settings
}

/** `options` split at unescaped whitespace, each `\x` read as `x` (Postgres' pg_split_opts). */
function optionWords(options: string): string[] {
  const words: string[] = []
  let word = ''
  let started = false
  for (let i = 0; i < options.length; i++) {
    const c = options[i]!
    if (/\s/.test(c)) {
      if (started) words.push(word)
      word = ''
      started = false
    } else {
      word += c === '\\' && i + 1 < options.length ? options[++i]! : c
      started = true
    }
  }
  if (started) words.push(word)
  return words
}
