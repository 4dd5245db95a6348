import { readFile } from 'node:fs/promises'
import type { Readable } from 'node:stream'
import { USER_INFO_COLUMNS } from '../local/catalog/session-identity.js'
import type {
  LocalEndpoint,
  LocalEndpointAuth,
  LocalEndpointDatabase,
  LocalEndpointOptions,
  MotherDuckUserInfo,
} from '../local/local-endpoint.js'
import { LocalEndpointPortInUseError } from '../local/startup/port-in-use-error.js'
import { MissingPackageError } from '../optional/optional-packages.js'
import { FlagError, type FlagValue } from './flag-parser.js'
import { LOCAL_TOKEN_ENV, type LocalToken, resolveLocalToken } from './local-token.js'
import { checkListenPlan } from './network-exposure.js'
import { PidFile } from './pid-file.js'
import { type StopWatchOptions, startedByNpm, waitForStop } from './stop-signal.js'
import { defineSubcommand, type SubcommandFlags, type SubcommandIo } from './subcommand.js'

/** Where the command writes and how it waits to be stopped; tests pass their own. */
export interface LocalCommandIo extends SubcommandIo {
  /**
   * Called before the endpoint starts; resolves with the reason to stop it (Ctrl-C, SIGTERM, or the
   * parent's exit by default: {@link waitForStop}).
   */
  readonly stopSignal: (options: StopWatchOptions) => Promise<string>
  /** Called once the endpoint runs (tests connect to it here). */
  readonly onStarted?: (endpoint: LocalEndpoint) => void
  /**
   * Where `MOTHERDUCK_LOCAL_TOKEN` and `npm_lifecycle_script` (the default of `--exit-with-parent`) are
   * read from. Default: `process.env`.
   */
  readonly env?: Readonly<Record<string, string | undefined>>
  /** Where `--token-stdin` reads its line. Default: `process.stdin`. */
  readonly stdin?: Readable
}

/**
 * `kysely-motherduck local`: starts the local endpoint until Ctrl-C, SIGTERM or (under npx / npm) the
 * exit of the npm process that started it, then closes it and DuckDB and exits 0. A port in use is an
 * error (exit 1), never shared.
 */
export const localCommand = defineSubcommand<LocalCommandIo>({
  name: 'local',
  summary: 'start the local MotherDuck-compatible endpoint',
  description: [
    'Starts a local MotherDuck-compatible Postgres endpoint backed by DuckDB and prints its URL.',
    'Ctrl-C or SIGTERM stops it (exit 0). A --port already in use is an error (exit 1).',
  ].join('\n'),
  notes: [
    `The token (password) clients must send: one of --token, --token-file, --token-stdin (two are an`,
    `error), else ${LOCAL_TOKEN_ENV}, else a random one printed in the URL. --token is readable by every`,
    'local user in the process list: the command warns and names the other ways.',
    '',
    'A --host other than loopback (127.0.0.1, ::1, localhost) needs --tls-cert and --tls-key, or',
    '--allow-insecure-network: without TLS the token and every query cross the network in clear text.',
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
      description:
        'Interface to listen on; beyond loopback it needs TLS (or --allow-insecure-network).',
    },
    {
      name: 'token',
      kind: 'string',
      valueName: '<token>',
      defaultText: `${LOCAL_TOKEN_ENV}, else random, shown in the URL`,
      description:
        'The password clients must send (stands in for the MotherDuck token); never printed. Any local user can read it in the process list: prefer the alternatives.',
    },
    {
      name: 'token-file',
      kind: 'string',
      valueName: '<path>',
      description:
        'Read the token from a file (one final newline is dropped); warns when others may read it.',
    },
    {
      name: 'token-stdin',
      kind: 'boolean',
      description:
        'Read the token from the first line of stdin: printf %s "$TOKEN" | … --token-stdin.',
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
      name: 'user-info',
      kind: 'repeatable',
      valueName: '<column>=<value>',
      defaultText:
        'username = the connecting user, region=us-east-1, org_name=local, org_type=local',
      description: `What md_user_info() answers; columns: ${Object.keys(USER_INFO_COLUMNS).join(', ')}.`,
    },
    {
      name: 'sample-data',
      kind: 'boolean',
      description:
        "Also attach the demo's sample_data (MotherDuck's shape, synthetic rows) and serve its Parquet URLs.",
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
    {
      name: 'allow-insecure-network',
      kind: 'boolean',
      description:
        'Allow a --host beyond loopback without TLS (token and queries in clear text on the network).',
    },
    {
      name: 'pid-file',
      kind: 'string',
      valueName: '<path>',
      description:
        'Write the process id here once listening (removed on exit): wait for it, then kill "$(cat <path>)".',
    },
    {
      name: 'exit-with-parent',
      kind: 'boolean',
      defaultText: 'true when started by npx, npm exec or an npm script',
      description:
        'Stop when the process that started it exits (npm passes SIGTERM only to its shell, which drops it).',
    },
  ],
  examples: [
    'MOTHERDUCK_LOCAL_TOKEN=dev kysely-motherduck local --port 5433',
    'kysely-motherduck local --token-file ~/.config/local-endpoint.token',
    'kysely-motherduck local --database my_db=./my_db.duckdb --database other=:memory:',
    'kysely-motherduck local --object-store s3://my-bucket=./fixtures/bucket',
    'kysely-motherduck local --sample-data   # the README Quick start runs against it',
    'MOTHERDUCK_LOCAL_TOKEN=dev npx kysely-motherduck local --port 5433 --pid-file .local-endpoint.pid &',
  ],
  defaultIo,
  run: runLocal,
})

async function runLocal(flags: SubcommandFlags, io: LocalCommandIo): Promise<number> {
  const plan = await optionsFrom(flags, io)
  const { token, warnings } = plan
  for (const warning of warnings) io.stderr(`${warning}\n`)
  const options = await withSampleData(flags, plan.options)
  const watchParent =
    typeof flags['exit-with-parent'] === 'boolean'
      ? flags['exit-with-parent']
      : startedByNpm(io.env ?? process.env)
  // Watched from now on: a SIGTERM while DuckDB starts stops the endpoint as soon as it runs.
  const stopSignal = io.stopSignal({ watchParent })
  const pidFile =
    typeof flags['pid-file'] === 'string' ? await PidFile.claim(flags['pid-file']) : undefined
  // Loaded here, not at the top: `kysely-motherduck --help` should not load DuckDB.
  const { startLocalEndpoint } = await import('../local/local-endpoint.js')
  let endpoint: LocalEndpoint
  try {
    endpoint = await startLocalEndpoint(options)
  } catch (error) {
    // A missing DuckDB is not a failure to start: the message alone says what to install.
    const context =
      error instanceof MissingPackageError ? '' : 'Could not start the local endpoint: '
    io.stderr(`${context}${startFailure(error, pidFile)}\n`)
    return 1
  }
  try {
    await pidFile?.write()
  } catch (error) {
    await endpoint.stop()
    io.stderr(`Could not write --pid-file ${pidFile?.path}: ${(error as Error).message}\n`)
    return 1
  }
  const databases = Object.keys(options.databases ?? { my_db: '' })
  // A token the user chose may be a real secret: it stays out of the output (terminal scrollback, CI
  // logs). A generated one is printed, since nothing else tells it.
  const url =
    token === undefined
      ? endpoint.url
      : endpoint.url.replace(`:${encodeURIComponent(endpoint.token)}@`, ':<token>@')
  io.stdout(
    [
      `Local MotherDuck endpoint listening on ${endpoint.host}:${endpoint.port}`,
      `  databases: ${databases.join(', ')} (md: is ${databases[0]})`,
      ...Object.entries(options.objectStore ?? {}).map(
        ([prefix, dir]) => `  object store: ${prefix} → ${dir}`,
      ),
      '',
      `  MOTHERDUCK_URL=${url}`,
      ...(token === undefined
        ? []
        : [`  (<token> is the token from ${token.source}: it is not printed)`]),
      '',
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  )
  io.onStarted?.(endpoint)
  const signal = await stopSignal
  io.stderr(`${signal}: stopping…\n`)
  await endpoint.stop()
  await pidFile?.remove()
  io.stderr('Stopped.\n')
  return 0
}

/** Why the endpoint did not start, with what to do when another process holds the port. */
function startFailure(error: unknown, pidFile: PidFile | undefined): string {
  if (!(error instanceof LocalEndpointPortInUseError)) return (error as Error).message
  const holder =
    pidFile?.previousPid === undefined
      ? 'Another process listens there, perhaps a `kysely-motherduck local` an earlier run left behind'
      : `--pid-file ${pidFile.path} named process ${pidFile.previousPid}, which still runs: ` +
        'probably a `kysely-motherduck local` an earlier run left behind'
  return [
    `port ${error.port} on ${error.host} is already in use.`,
    `${holder} (find it with \`lsof -nP -iTCP:${error.port} -sTCP:LISTEN\` or \`ss -ltnp\`).`,
    `Stop it${pidFile?.previousPid === undefined ? '' : ` (kill ${pidFile.previousPid})`}, ` +
      'or pass another --port (--port 0 picks a free one and prints it).',
  ].join('\n')
}

/**
 * With `--sample-data`, the options plus the demo's sample data (generated into the temp directory on
 * first use): `sample_data` after the databases given (default `my_db`, which stays md:), and its
 * object-store prefixes.
 */
async function withSampleData(
  flags: SubcommandFlags,
  options: LocalEndpointOptions,
): Promise<LocalEndpointOptions> {
  if (flags['sample-data'] !== true) return options
  const { ensureDemoData, sampleDataEndpointOptions } = await import('../demo/sample-data.js')
  const sampleData = sampleDataEndpointOptions(await ensureDemoData())
  return {
    ...options,
    databases: { ...(options.databases ?? { my_db: ':memory:' }), ...sampleData.databases },
    objectStore: { ...options.objectStore, ...sampleData.objectStore },
  }
}

/** The endpoint's options from the flags, with the token's source and what to warn about. */
interface LocalRunPlan {
  readonly options: LocalEndpointOptions
  /** Undefined when the endpoint draws the token (it is then printed). */
  readonly token: LocalToken | undefined
  /** What to print on stderr before the endpoint starts (each a paragraph). */
  readonly warnings: readonly string[]
}

/** The run's plan from the flags; a {@link FlagError} names the flag that is wrong. */
async function optionsFrom(flags: SubcommandFlags, io: LocalCommandIo): Promise<LocalRunPlan> {
  const port = flags.port === undefined ? undefined : Number(flags.port)
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65_535)) {
    throw new FlagError(
      'port',
      `--port must be a number from 0 to 65535, got "${String(flags.port)}".`,
    )
  }
  const databases = readOnlySuffixes(pairs('database', flags.database))
  const userInfo = userInfoOptions(pairs('user-info', flags['user-info']))
  const objectStore = pairs('object-store', flags['object-store'])
  const cert = flags['tls-cert']
  const key = flags['tls-key']
  if ((cert === undefined) !== (key === undefined)) {
    throw new FlagError('tls-cert', '--tls-cert and --tls-key go together.')
  }
  const networkWarning = checkListenPlan({
    host: typeof flags.host === 'string' ? flags.host : undefined,
    tls: cert !== undefined,
    allowInsecureNetwork: flags['allow-insecure-network'] === true,
  })
  const token = await resolveLocalToken(flags, {
    env: io.env ?? process.env,
    stdin: io.stdin ?? process.stdin,
  })
  const options: LocalEndpointOptions = {
    ...(port === undefined ? {} : { port }),
    ...(typeof flags.host === 'string' ? { host: flags.host } : {}),
    ...(flags['allow-insecure-network'] === true ? { allowInsecureNetwork: true } : {}),
    ...(token === undefined ? {} : { token: token.value }),
    ...(databases === undefined ? {} : { databases }),
    ...(objectStore === undefined ? {} : { objectStore }),
    ...(typeof flags.strict === 'boolean' ? { strict: flags.strict } : {}),
    ...(typeof flags.auth === 'string' ? { auth: flags.auth as LocalEndpointAuth } : {}),
    ...(userInfo === undefined ? {} : { userInfo }),
    ...(typeof cert === 'string' && typeof key === 'string'
      ? {
          tls: {
            cert: await readFlagFile('tls-cert', cert),
            key: await readFlagFile('tls-key', key),
          },
        }
      : {}),
  }
  const warnings = [
    ...(token?.warnings ?? []),
    ...(networkWarning === undefined ? [] : [networkWarning]),
  ]
  return { options, token, warnings }
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

/** `--user-info region=eu-central-1 --user-info org_name=ducks` → the endpoint's `userInfo`. */
function userInfoOptions(
  values: Record<string, string> | undefined,
): MotherDuckUserInfo | undefined {
  if (values === undefined) return undefined
  const info: Record<string, string> = {}
  for (const [column, value] of Object.entries(values)) {
    const option = (USER_INFO_COLUMNS as Record<string, string>)[column]
    if (option === undefined) {
      throw new FlagError(
        'user-info',
        `--user-info has no column "${column}": give one of ${Object.keys(USER_INFO_COLUMNS).join(', ')}.`,
      )
    }
    info[option] = value
  }
  return info
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
    stopSignal: waitForStop,
  }
}
