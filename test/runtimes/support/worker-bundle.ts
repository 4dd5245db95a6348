import { writeFile } from 'node:fs/promises'
import { builtinModules } from 'node:module'
import { join } from 'node:path'
import { build, type Plugin } from 'esbuild'

/*
 * What wrangler does for a Worker with `nodejs_compat`, reduced to what the smoke test needs: bundle the
 * Worker with esbuild under the `workerd` export condition (so `pg` gets `pg-cloudflare`, which connects
 * with `cloudflare:sockets`), leave Node's built-in modules to the runtime, and write workerd's config.
 */

const NODE_BUILTINS = new Set(builtinModules)

/**
 * Node built-ins stay imports for workerd to provide. A CommonJS `require('events')` (pg is CommonJS)
 * cannot stay a `require` in an ES module bundle, so it becomes a small module that imports the built-in
 * and hands its default export to `require`, as Node's own `require` would return it.
 */
const nodeBuiltinsFromRuntime: Plugin = {
  name: 'node-builtins-from-runtime',
  setup(bundle) {
    bundle.onResolve({ filter: /^(node:)?[a-z_/]+$/ }, (args) => {
      const name = args.path.replace(/^node:/, '')
      if (!NODE_BUILTINS.has(name)) return undefined
      if (args.kind === 'require-call') return { path: name, namespace: 'node-builtin-require' }
      return { path: `node:${name}`, external: true }
    })
    bundle.onLoad({ filter: /.*/, namespace: 'node-builtin-require' }, (args) => ({
      contents: `import builtin from 'node:${args.path}'\nmodule.exports = builtin\n`,
      loader: 'js',
    }))
  },
}

/** Bundles `entry` (a Worker module in `project`) into `outFile`, as one ES module. */
export async function bundleWorker(project: string, entry: string, outFile: string): Promise<void> {
  await build({
    absWorkingDir: project,
    entryPoints: [entry],
    outfile: outFile,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2023',
    conditions: ['workerd', 'worker'],
    mainFields: ['module', 'main'],
    external: ['cloudflare:*'],
    plugins: [nodeBuiltinsFromRuntime],
    logLevel: 'silent',
  })
}

/** What {@link writeWorkerdConfig} puts in the config. */
export interface WorkerdConfigOptions {
  /** The bundled Worker module, in `dir`. */
  readonly workerFile: string
  /** PEM certificate authorities the Worker's outbound TLS trusts; none: the public CAs only. */
  readonly trustedCa?: string
  /** Environment variables handed to the Worker as text bindings of the same name. */
  readonly envBindings: readonly string[]
}

/**
 * Writes `dir/config.capnp` and returns its path: one Worker with `nodejs_compat`, whose outbound
 * network (`globalOutbound`, which `connect()` from `cloudflare:sockets` goes through) may reach loopback
 * ("local") addresses, with `trustedCa` for TLS. Secrets never enter the file: bindings read the process
 * environment (`fromEnvironment`).
 */
export async function writeWorkerdConfig(
  dir: string,
  options: WorkerdConfigOptions,
): Promise<string> {
  const tlsOptions =
    options.trustedCa === undefined
      ? '(trustBrowserCas = true)'
      : '(trustedCertificates = [ embed "trusted-ca.pem" ])'
  if (options.trustedCa !== undefined)
    await writeFile(join(dir, 'trusted-ca.pem'), options.trustedCa)
  const bindings = options.envBindings
    .map((name) => `(name = "${name}", fromEnvironment = "${name}")`)
    .join(', ')
  const config = `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    (name = "loopback", network = (allow = ["local"], tlsOptions = ${tlsOptions})),
  ],
);

const worker :Workerd.Worker = (
  modules = [ (name = "worker", esModule = embed "${options.workerFile}") ],
  compatibilityDate = "2025-09-15",
  compatibilityFlags = ["nodejs_compat"],
  globalOutbound = "loopback",
  bindings = [ ${bindings} ],
);
`
  const path = join(dir, 'config.capnp')
  await writeFile(path, config)
  return path
}
