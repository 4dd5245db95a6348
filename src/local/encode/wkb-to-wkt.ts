/**
 * GEOMETRY values arrive from DuckDB as (ISO) WKB; the endpoint sends them as WKT text, the form
 * DuckDB itself prints (`POINT (1 2)`, `POLYGON ((0 0, 1 0, 1 1, 0 0))`, `POINT Z (1 2 3)`).
 */

const KINDS = [
  '',
  'POINT',
  'LINESTRING',
  'POLYGON',
  'MULTIPOINT',
  'MULTILINESTRING',
  'MULTIPOLYGON',
  'GEOMETRYCOLLECTION',
] as const

class WkbReader {
  private offset = 0
  private readonly view: DataView

  constructor(bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  }

  geometry(): string {
    const little = this.view.getUint8(this.offset) === 1
    this.offset += 1
    let code = this.view.getUint32(this.offset, little)
    this.offset += 4
    // EWKB flags (PostGIS) and ISO offsets (1000 Z, 2000 M, 3000 ZM) both say which extra ordinates follow.
    let hasZ = (code & 0x80000000) !== 0
    let hasM = (code & 0x40000000) !== 0
    code &= 0x0fffffff
    const iso = Math.floor(code / 1000)
    if (iso === 1 || iso === 3) hasZ = true
    if (iso === 2 || iso === 3) hasM = true
    const kind = KINDS[code % 1000]
    if (kind === undefined || kind === '')
      throw new RangeError(`Unsupported WKB geometry type ${code}`)
    const dims = 2 + (hasZ ? 1 : 0) + (hasM ? 1 : 0)
    const tag = `${kind}${hasZ && hasM ? ' ZM' : hasZ ? ' Z' : hasM ? ' M' : ''}`
    const body = this.body(kind, dims, little)
    return body === null ? `${tag} EMPTY` : `${tag} ${body}`
  }

  private body(kind: (typeof KINDS)[number], dims: number, little: boolean): string | null {
    switch (kind) {
      case 'POINT': {
        const point = this.coordinates(dims, little)
        return point.includes('NaN') ? null : `(${point})`
      }
      case 'LINESTRING': {
        const line = this.points(dims, little)
        return line === null ? null : `(${line})`
      }
      case 'POLYGON': {
        const rings: string[] = []
        const count = this.uint32(little)
        for (let i = 0; i < count; i++) rings.push(`(${this.points(dims, little) ?? ''})`)
        return count === 0 ? null : `(${rings.join(', ')})`
      }
      case 'MULTIPOINT': {
        const count = this.uint32(little)
        const points: string[] = []
        for (let i = 0; i < count; i++) {
          const point = this.geometry()
          points.push(point.endsWith(' EMPTY') ? 'EMPTY' : point.slice(point.indexOf('(') + 1, -1))
        }
        return count === 0 ? null : `(${points.join(', ')})`
      }
      default: {
        const count = this.uint32(little)
        const parts: string[] = []
        for (let i = 0; i < count; i++) {
          const part = this.geometry()
          if (kind === 'GEOMETRYCOLLECTION') parts.push(part)
          else parts.push(part.endsWith(' EMPTY') ? 'EMPTY' : part.slice(part.indexOf('(')))
        }
        return count === 0 ? null : `(${parts.join(', ')})`
      }
    }
  }

  private uint32(little: boolean): number {
    const value = this.view.getUint32(this.offset, little)
    this.offset += 4
    return value
  }

  private coordinates(dims: number, little: boolean): string {
    const values: string[] = []
    for (let i = 0; i < dims; i++) {
      values.push(String(this.view.getFloat64(this.offset, little)))
      this.offset += 8
    }
    return values.join(' ')
  }

  private points(dims: number, little: boolean): string | null {
    const count = this.uint32(little)
    if (count === 0) return null
    const points: string[] = []
    for (let i = 0; i < count; i++) points.push(this.coordinates(dims, little))
    return points.join(', ')
  }
}

/** WKT text of a WKB geometry: `POINT (1 2)`, `LINESTRING EMPTY`, `MULTIPOINT (1 2, 3 4)`. */
export function wkbToWkt(bytes: Uint8Array): string {
  return new WkbReader(bytes).geometry()
}
