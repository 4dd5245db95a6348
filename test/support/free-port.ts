import { createServer } from 'node:net'

/**
 * A loopback port nothing listens on: one the OS handed out and took back. (Another process may take it
 * before it is used; tests that can, listen on port 0 instead.)
 */
export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise<void>((resolve) => server.close(() => resolve()))
  if (address === null || typeof address === 'string') throw new Error('no port')
  return address.port
}
