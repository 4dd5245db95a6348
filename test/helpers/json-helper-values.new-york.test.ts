// The process time zone, before any Date is made: JSON helper values must not depend on it.
process.env.TZ = 'America/New_York'

import { describeJsonHelperValues } from './json-helper-values.js'

describeJsonHelperValues('America/New_York', 300)
