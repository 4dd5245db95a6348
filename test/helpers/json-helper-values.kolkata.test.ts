// The process time zone, before any Date is made: JSON helper values must not depend on it.
process.env.TZ = 'Asia/Kolkata'

import { describeJsonHelperValues } from './json-helper-values.js'

describeJsonHelperValues('Asia/Kolkata', -330)
