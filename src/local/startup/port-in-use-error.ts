import { MotherDuckError } from '../../errors/motherduck-error.js'

/**
 * Thrown by `startLocalEndpoint` when another process already listens on the asked-for `port` (the
 * system's EADDRINUSE, kept as `cause`), often a local endpoint an earlier run left behind. The endpoint
 * never shares a port: clients of the port would otherwise reach the old server, with its old data.
 * Stop that process, or ask for another port (`0` picks a free one, read back from `endpoint.port`).
 *
 * ### Examples
 *
 * ```ts
 * try {
 *   await startLocalEndpoint({ port: 5433 })
 * } catch (error) {
 *   if (error instanceof LocalEndpointPortInUseError) console.error(error.message)
 *   // Port 5433 on 127.0.0.1 is already in use by another process (…). Stop that process, or …
 * }
 * ```
 */
export class LocalEndpointPortInUseError extends MotherDuckError {
  override readonly name = 'LocalEndpointPortInUseError'
  constructor(
    readonly host: string,
    readonly port: number,
    options?: ErrorOptions,
  ) {
    super(
      `Port ${port} on ${host} is already in use by another process (a local endpoint left running by ` +
        'an earlier run?). Stop that process, or choose another port (0 picks a free one).',
      options,
    )
  }
}

/** Whether a `listen()` error means the address is taken. */
export function isAddressInUse(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE'
}
