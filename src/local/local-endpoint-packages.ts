/** What the local endpoint loads when it starts: optional peer dependencies of the package. */
export const LOCAL_ENDPOINT_PACKAGES: readonly string[] = ['@duckdb/node-api']
