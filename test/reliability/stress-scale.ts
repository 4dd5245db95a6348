/**
 * The reliability suite runs twice over: a short form inside `npm test` and a long form under `npm run stress`
 * (KYSELY_MOTHERDUCK_STRESS=long), whose printed figures are the ones the README's "Reliability" section quotes.
 * Every scenario takes its sizes from {@link stressScale}, so both forms run the same code and assertions.
 */
export const STRESS_LONG = process.env.KYSELY_MOTHERDUCK_STRESS === 'long'

/** `short` inside `npm test`, `long` under `npm run stress`. */
export function stressScale<T>(short: T, long: T): T {
  return STRESS_LONG ? long : short
}

/**
 * Prints one measured figure of a scenario as `[figure] item: text`, so that `npm run stress | grep figure`
 * lists what the README reports. Figures are printed, never asserted (machines are noisy).
 */
export function reportFigure(item: string, text: string): void {
  console.log(`[figure] ${item}: ${text}${STRESS_LONG ? '' : ' (short form)'}`)
}
