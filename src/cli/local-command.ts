import { readFile } from 'node:fs/promises'
import type {
  LocalEndpoint,
  LocalEndpointAuth,
  LocalEndpointDatabase,
  LocalEndpointOptions,
} from '../local/local-endpoint.js'
import { FlagError, type FlagValue } from './flag-parser.js'
import { defineSubcommand, type SubcommandFlags, type SubcommandIo } from './subcommand.js'

/** Where the command writes and how it waits to be stopped; tests pass their own. */
export interface LocalCommandIo extends SubcommandIo {
  /** Resolves when the endpoint should stop (Ctrl-C or SIGTERM by default). */
  readonly stopSignal: () => Promise<string>
  /** Called once the endpoint runs (tests connect to it here). */
  readonly onStarted?: (endpoint: LocalEndpoint) => void
}

/** `kysely-motherduck local`: starts the local endpoint until Ctrl-C or SIGTERM, then exits 0. */
export const localCommand = defineSubcommand<LocalCommandIo>({
  name: 'local',
  summary: 'start the local MotherDuck-compatible endpoint',
  description: [
    'Starts a local MotherDuck-compatible Postgres endpoint backed by DuckDB and prints its URL.',
    'Ctrl-C stops it.',
  ].join('\n'),
  flags: [
    {
      name: 'port',
      short: 'p',
      kind: 'string',
      valueName: '<port>',
      defaultText: '0, any free port (the URL shows it)',
      description: 'TCP port to listen on.',
    },
    {
      name: 'host',
      kind: 'string',
      valueName: '<address>',
      defaultText: '127.0.0.1',
      description: 'Interface to listen on.',
    },
    {
      name: 'token',
      kind: 'string',
      valueName: '<token>',
      defaultText: 'random, shown in the URL',
      description:
        'The password clients must send (stands in for the MotherDuck token); never printed.',
    },
    {
      name: 'database',
      kind: 'repeatable',
      valueName: '<name>=<path>[:ro]',
      defaultText: 'my_db=:memory:',
      description:
        'Attach a database file (created if missing) or :memory:; the first one is the default (md:). A :ro suffix attaches the file read-only, like a shared database.',
    },
    {
      name: 'object-store',
      kind: 'repeatable',
      valueName: '<prefix>=<dir>',
      description: 'Serve a remote URL prefix from a local directory, e.g. s3://bucket=./data.',
    },
    {
      name: 'strict',
      kind: 'boolean',
      defaultText: 'true',
      description:
        'Refuse what MotherDuck refuses (MD_RUN = LOCAL, local files, ATTACH…); --no-strict lifts it.',
    },
    {
      name: 'auth',
      kind: 'string',
      valueName: '<method>',
      values: ['scram-sha-256', 'password'],
      defaultText: 'scram-sha-256',
      description: 'How clients authenticate.',
    },
    {
      name: 'tls-cert',
      kind: 'string',
      valueName: '<file>',
      description: 'PEM certificate chain; with --tls-key, clients must connect with TLS.',
    },
    {
      name: 'tls-key',
      kind: 'string',
      valueName: '<file>',
      description: 'PEM private key of --tls-cert.',
    },
  ],
  examples: [
    'kysely-motherduck local --port 5433 --token dev',
    'kysely-motherduck local --database my_db=./my_db.duckdb --database other=:memory:',
    'kysely-motherduck local --object-store s3://my-bucket=./fixtures/bucket',
  ],
  defaultIo,
  run: runLocal,
})

async function runLocal(flags: SubcommandFlags, io: LocalCommandIo): Promise<number> {
  const options = await optionsFrom(flags)
  // Loaded here, not at the top: `kysely-motherduck --help` should not load DuckDB.
  const { startLocalEndpoint } = await import('../local/local-endpoint.js')
  let endpoint: LocalEndpoint
  try {
    endpoint = await startLocalEndpoint(options)
  } catch (error) {
    io.stderr(`Could not start the local endpoint: ${(error as Error).message}\n`)
    return 1
  }
  const databases = Object.keys(options.databases ?? { my_db: '' })
  // A token the user chose may be a real secret: it stays out of the output (terminal scrollback, CI
  // logs). A generated one is printed, since nothing else tells it.
  const url =
    options.token === undefined
      ? endpoint.url
      : endpoint.url.replace(`:${encodeURIComponent(endpoint.token)}@`, ':<token>@')
  io.stdout(
    [
      `Local MotherDuck endpoint listening on ${endpoint.host}:${endpoint.port}`,
      `  databases: ${databases.join(', ')} (md: is ${databases[0]})`,
      '',
      `  MOTHERDUCK_URL=${url}`,
      ...(options.token === undefined
        ? []
        : ['  (<token> is the --token you gave: it is not printed)']),
      '',
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  )
  io.onStarted?.(endpoint)
  const signal = await io.stopSignal()
  io.stderr(`${signal}: stopping…\n`)
  await endpoint.stop()
  io.stderr('Stopped.\n')
  return 0
}

/** The endpoint's options from the flags; a {@link FlagError} names the flag that is wrong. */
async function optionsFrom(flags: SubcommandFlags): Promise<LocalEndpointOptions> {
  const port = flags.port === undefined ? undefined : Number(flags.port)
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65_535)) {
    throw new FlagError(
      'port',
      `--port must be a number from 0 to 65535, got "${String(flags.port)}".`,
    )
  }
  const databases = readOnlySuffixes(pairs('database', flags.database))
  const objectStore = pairs('object-store', flags['object-store'])
  const cert = flags['tls-cert']
  const key = flags['tls-key']
  if ((cert === undefined) !== (key === undefined)) {
    throw new FlagError('tls-cert', '--tls-cert and --tls-key go together.')
  }
  return {
    ...(port === undefined ? {} : { port }),
    ...(typeof flags.host === 'string' ? { host: flags.host } : {}),
    ...(typeof flags.token === 'string' ? { token: flags.token } : {}),
    ...(databases === undefined ? {} : { databases }),
    ...(objectStore === undefined ? {} : { objectStore }),
    ...(typeof flags.strict === 'boolean' ? { strict: flags.strict } : {}),
    ...(typeof flags.auth === 'string' ? { auth: flags.auth as LocalEndpointAuth } : {}),
    ...(typeof cert === 'string' && typeof key === 'string'
      ? {
          tls: {
            cert: await readFlagFile('tls-cert', cert),
            key: await readFlagFile('tls-key', key),
          },
        }
      : {}),
  }
}

/** The file a flag names; one that cannot be read is the flag's error. */
async function readFlagFile(flag: string, path: string): Promise<Buffer> {
  try {
    return await readFile(path)
  } catch (error) {
    throw new FlagError(flag, (error as Error).message)
  }
}

/** `name=value` flags as a record, in the order given; the value may itself contain `=`. */
function pairs(flag: string, values: FlagValue | undefined): Record<string, string> | undefined {
  if (!Array.isArray(values)) return undefined
  const record: Record<string, string> = {}
  for (const value of values) {
    const equals = value.indexOf('=')
    if (equals <= 0 || equals === value.length - 1) {
      throw new FlagError(flag, `--${flag} takes <name>=<value>, got "${value}".`)
    }
    record[value.slice(0, equals)] = value.slice(equals + 1)
  }
  return record
}

/** `--database name=path:ro` attaches `path` read-only. */
function readOnlySuffixes(
  databases: Record<string, string> | undefined,
): Record<string, LocalEndpointDatabase> | undefined {
  if (databases === undefined) return undefined
  return Object.fromEntries(
    Object.entries(databases).map(([name, path]) =>
      path.endsWith(':ro') && path.length > 3
        ? [name, { path: path.slice(0, -3), readOnly: true }]
        : [name, { path }],
    ),
  )
}

function defaultIo(): LocalCommandIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    stopSignal: () =>
      new Promise((resolve) => {
        const stop = (signal: string): void => {
          process.off('SIGINT', stop)
          process.off('SIGTERM', stop)
          resolve(signal)
        }
        process.on('SIGINT', stop)
        process.on('SIGTERM', stop)
      }),
  }
}
