/**
 * Whether `port` is a TCP port a client can connect to: an integer from 1 to 65535. (Port 0 is only
 * meaningful when listening, where it asks the system for a free port.)
 */
export function isConnectablePort(port: number): boolean {
  return Number.isInteger(port) && port >= 1 && port <= 65535
}
