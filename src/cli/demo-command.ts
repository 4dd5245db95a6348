export async function run(_argv: readonly string[]): Promise<number> {
  console.error('kysely-motherduck demo: not implemented yet')
  return 1
}
