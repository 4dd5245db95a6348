import { describe, expect, it } from 'vitest'
import {
  isMotherDuckRegion,
  MOTHERDUCK_AWS_REGIONS,
  MOTHERDUCK_AZURE_REGIONS,
  MOTHERDUCK_REGIONS,
  motherDuckCloud,
  motherDuckHost,
  regionOfMotherDuckHost,
} from '../../src/motherduck/regions.js'

describe('MotherDuck regions and their hosts', () => {
  it('lists the six AWS regions and the two Azure regions, and nothing else', () => {
    expect([...MOTHERDUCK_REGIONS].sort()).toEqual(
      [...MOTHERDUCK_AWS_REGIONS, ...MOTHERDUCK_AZURE_REGIONS].sort(),
    )
    expect(MOTHERDUCK_AWS_REGIONS).toHaveLength(6)
    expect(MOTHERDUCK_AZURE_REGIONS).toEqual(['eastus', 'uksouth'])
    expect(new Set(MOTHERDUCK_REGIONS).size).toBe(MOTHERDUCK_REGIONS.length)
    for (const region of MOTHERDUCK_REGIONS) expect(isMotherDuckRegion(region)).toBe(true)
    for (const name of ['us-east-2', 'EASTUS', 'eastus-azure', 'westeurope', '']) {
      expect(isMotherDuckRegion(name)).toBe(false)
    }
  })

  it('maps each region to its cloud', () => {
    for (const region of MOTHERDUCK_AWS_REGIONS) expect(motherDuckCloud(region)).toBe('aws')
    for (const region of MOTHERDUCK_AZURE_REGIONS) expect(motherDuckCloud(region)).toBe('azure')
  })

  it("puts each region's host under its cloud", () => {
    expect(motherDuckHost('eu-central-1')).toBe('pg.eu-central-1-aws.motherduck.com')
    expect(motherDuckHost('eastus')).toBe('pg.eastus-azure.motherduck.com')
    expect(motherDuckHost('uksouth')).toBe('pg.uksouth-azure.motherduck.com')
    for (const region of MOTHERDUCK_REGIONS) {
      expect(motherDuckHost(region)).toBe(`pg.${region}-${motherDuckCloud(region)}.motherduck.com`)
    }
  })

  it('reads the region back from a host of either cloud, ignoring case', () => {
    for (const region of MOTHERDUCK_REGIONS) {
      expect(regionOfMotherDuckHost(motherDuckHost(region))).toBe(region)
      expect(regionOfMotherDuckHost(motherDuckHost(region).toUpperCase())).toBe(region)
    }
  })

  it('reads no region from a host under the wrong cloud or an unknown region', () => {
    for (const host of [
      'pg.eastus-aws.motherduck.com',
      'pg.uksouth.motherduck.com',
      'pg.eu-west-1-azure.motherduck.com',
      'pg.eastus2-azure.motherduck.com',
      'pg.eastus-azure.motherduck.com.example',
      'localhost',
    ]) {
      expect(regionOfMotherDuckHost(host)).toBeUndefined()
    }
  })
})
