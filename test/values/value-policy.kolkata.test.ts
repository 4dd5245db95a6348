// The process time zone, before any Date is made: a Date written to DATE keeps its local calendar date.
process.env.TZ = 'Asia/Kolkata'

import { describeValuePolicyRoundTrip } from './value-policy-round-trip.js'

describeValuePolicyRoundTrip('Asia/Kolkata')
