import { randomBytes } from 'node:crypto'

/**
 * A small seeded pseudo-random generator (sfc32, seeded through splitmix32) for the fuzzers: the same
 * seed gives the same sequence on every machine, so a failure that prints its seed can be replayed.
 * Not for anything secret.
 */
export class Prng {
  private a: number
  private b: number
  private c: number
  private d: number

  constructor(readonly seed: number) {
    let state = seed >>> 0
    const next = (): number => {
      state = (state + 0x9e3779b9) >>> 0
      let z = state
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
      return (z ^ (z >>> 16)) >>> 0
    }
    this.a = next()
    this.b = next()
    this.c = next()
    this.d = next()
    for (let i = 0; i < 12; i++) this.uint32()
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  uint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0
    this.d = (this.d + 1) >>> 0
    this.a = this.b ^ (this.b >>> 9)
    this.b = (this.c + (this.c << 3)) >>> 0
    this.c = (this.c << 21) | (this.c >>> 11)
    this.c = (this.c + t) >>> 0
    return t
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor((this.uint32() / 0x1_0000_0000) * n)
  }

  /** An integer in [min, max]. */
  between(min: number, max: number): number {
    return min + this.int(max - min + 1)
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.uint32() / 0x1_0000_0000 < p
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list')
    return items[this.int(items.length)] as T
  }

  /** Picks by weight: `[[weight, value], …]`. */
  weighted<T>(choices: readonly (readonly [number, T])[]): T {
    const total = choices.reduce((sum, [weight]) => sum + weight, 0)
    let roll = (this.uint32() / 0x1_0000_0000) * total
    for (const [weight, value] of choices) {
      roll -= weight
      if (roll < 0) return value
    }
    return (choices.at(-1) as readonly [number, T])[1]
  }

  bytes(length: number): Buffer {
    const out = Buffer.allocUnsafe(length)
    for (let i = 0; i < length; i++) out[i] = this.uint32() & 0xff
    return out
  }

  /** A generator for one sub-task (e.g. one connection), replayable from its own seed. */
  fork(): Prng {
    return new Prng(this.uint32())
  }
}

/**
 * The seed of a fuzz run: `KYSELY_MOTHERDUCK_FUZZ_SEED` (decimal or 0x-hex) when set, to replay a
 * failure, else a fresh random one.
 */
export function fuzzSeed(): number {
  const given = process.env.KYSELY_MOTHERDUCK_FUZZ_SEED
  if (given !== undefined && given.trim() !== '') {
    const value = Number(given.trim())
    if (!Number.isInteger(value) || value < 0 || value > 0xffff_ffff) {
      throw new Error(`KYSELY_MOTHERDUCK_FUZZ_SEED must be a 32-bit unsigned integer, got ${given}`)
    }
    return value
  }
  return randomBytes(4).readUInt32BE(0)
}

/** `0x…` with 8 hex digits. */
export function hexSeed(seed: number): string {
  return `0x${(seed >>> 0).toString(16).padStart(8, '0')}`
}
