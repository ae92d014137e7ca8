// Times Twilio's segment calculator (npm sms-segments-calculator 1.3.0) on the inputs
// of benches/segments.rs (benches/segments_inputs.json), to compare with msgcore.
//
// Prints one line per input: name, messages per second, microseconds per message.
// Each message is fully measured, as msgcore's analyze() does: encoding, segments,
// units (messageSize) and the non-GSM characters.
//
// Run right after the criterion bench, in the same session:
//   cargo bench --bench segments -- --warm-up-time 1 --measurement-time 3
//   NODE_PATH=/tmp/oracles/node_modules node scripts/bench_segments_peer.js

'use strict';

const path = require('node:path');
const { SegmentedMessage } = require('sms-segments-calculator');

const inputs = require(path.join(__dirname, '..', 'benches', 'segments_inputs.json'));
const WARM_UP_MS = 1000;
const MEASURE_MS = 3000;

let sink = 0;
function measureOnce({ text, smart_encoding: smartEncoding }) {
  const message = new SegmentedMessage(text, 'auto', smartEncoding);
  sink += message.segmentsCount + message.messageSize + message.getNonGsmCharacters().length;
  sink += message.encodingName.length;
}

function run(input, milliseconds) {
  let count = 0;
  const start = process.hrtime.bigint();
  const end = start + BigInt(milliseconds) * 1_000_000n;
  let now = start;
  while (now < end) {
    for (let i = 0; i < 100; i++) measureOnce(input);
    count += 100;
    now = process.hrtime.bigint();
  }
  return { count, seconds: Number(now - start) / 1e9 };
}

for (const input of inputs) {
  run(input, WARM_UP_MS);
  const { count, seconds } = run(input, MEASURE_MS);
  const perSecond = count / seconds;
  console.log(`${input.name}\t${Math.round(perSecond)} msg/s\t${(1e6 / perSecond).toFixed(2)} µs/msg`);
}
if (sink === 0) console.log('(nothing measured)');
