// Differential oracle for src/core/segments.rs: random texts and what Twilio's segment
// calculator (npm sms-segments-calculator 1.3.0, which clusters with grapheme-splitter
// 1.0.4) says about them.
//
// Prints N JSON lines, one case each, deterministic for a given SEED:
//   {"text": "...", "smart_encoding": bool,
//    "expected": {"encoding": "GSM-7"|"UCS-2", "segments": N, "units": M, "non_gsm": [...]}}
// `text` and `smart_encoding` are msgctl's `segments` input; `units` is the calculator's
// messageSize (bits, headers excluded) divided by 7 (GSM-7) or 16 (UCS-2), and
// `non_gsm` is getNonGsmCharacters().
//
// Run (Node 20):
//   NODE_PATH=/tmp/oracles/node_modules node scripts/segments_oracle.js 5000 1 \
//     > tests/fixtures/segments_oracle.jsonl
// The committed fixture is that command's output; tests/segments_oracle.rs checks it,
// or any other file named by SEGMENTS_ORACLE.

'use strict';

const { SegmentedMessage } = require('sms-segments-calculator');
const SmartEncodingMap = require('sms-segments-calculator/dist/libs/SmartEncodingMap.js').default;

const count = Number(process.argv[2] || 1000);
const seed = Number(process.argv[3] || 1);

// mulberry32: a small seeded generator, so a run can be repeated exactly.
let state = seed >>> 0;
function random() {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const int = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));
const pick = (items) => items[Math.floor(random() * items.length)];
const repeat = (n, make) => Array.from({ length: n }, make).join('');
const cp = (code) => String.fromCodePoint(code);
const range = (lo, hi) => Array.from({ length: hi - lo + 1 }, (_, i) => cp(lo + i));

const GSM_BASIC = [
  ...'@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?',
  ...'¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
];
const GSM_EXTENSION = [...'^{}\\[~]|€\f'];
const GSM = [...GSM_BASIC, ...GSM_EXTENSION];
const SMART = Object.keys(SmartEncodingMap);

// Code points by Unicode 10 Grapheme_Cluster_Break class, to stir the segmenter.
const CLASSES = {
  cr: ['\r'],
  lf: ['\n'],
  control: ['\u0001', '\u0085', '\u200b', '\u2028', '\u00ad', '\u{e0001}'],
  extend: ['\u0301', '\u0308', '\u093c', '\ufe0f', '\u200c', '\u{e0020}', '\u0e31', '\u0489'],
  regional: range(0x1f1e6, 0x1f1ff),
  spacing: ['\u0903', '\u093e', '\u0e33', '\u{11000}'],
  l: ['\u1100', '\u115f', '\ua960'],
  v: ['\u1161', '\u11a7', '\ud7b0'],
  t: ['\u11a8', '\u11ff', '\ud7cb'],
  lv: ['\uac00', '\uac1c', '\ud788'],
  lvt: ['\uac01', '\uac1b', '\ud7a3'],
  prepend: ['\u0600', '\u06dd', '\u070f', '\u0d4e', '\u{110bd}', '\u{11a3a}'],
  base: ['\u261d', '\u26f9', '\u{1f44d}', '\u{1f3c3}', '\u{1f6b4}', '\u{1f918}'],
  modifier: range(0x1f3fb, 0x1f3ff),
  zwj: ['\u200d'],
  glue: ['\u2764', '\u2640', '\u2642', '\u{1f48b}', '\u{1f308}', '\u{1f5e8}'],
  baseGaz: range(0x1f466, 0x1f469),
  other: ['a', 'é', '€', '{', 'ж', '\u{1f600}', '\u{1f9b0}', '\u{1f9d1}', '\u{1f91d}', 'x', ' '],
};
const CLASS_NAMES = Object.keys(CLASSES);

const EMOJI_BASES = ['\u{1f44d}', '\u{1f44b}', '\u{1f466}', '\u{1f469}', '\u{1f9d1}', '\u261d', '\u{1f3c3}', '\u{1f64b}'];
const SKIN = range(0x1f3fb, 0x1f3ff);
const ZWJ_SEQUENCES = [
  '\u{1f468}\u200d\u{1f469}\u200d\u{1f467}\u200d\u{1f466}', // family (Unicode 6 parts)
  '\u{1f469}\u200d\u2764\ufe0f\u200d\u{1f468}', // couple with heart
  '\u{1f441}\ufe0f\u200d\u{1f5e8}\ufe0f', // eye in speech bubble
  '\u{1f468}\u200d\u{1f4bb}', // technologist
  '\u{1f3f3}\ufe0f\u200d\u{1f308}', // rainbow flag
  '\u{1f469}\u200d\u{1f9b0}', // red hair (Unicode 11)
  '\u{1f9d1}\u200d\u{1f91d}\u200d\u{1f9d1}', // people holding hands (Unicode 12)
  '\u{1f415}\u200d\u{1f9ba}', // service dog (Unicode 12)
  '\u{1f469}\u{1f3fd}\u200d\u{1f680}', // astronaut with skin tone
  '\u{1f9d4}\u200d\u2642\ufe0f', // man with beard (Unicode 13)
  '\u{1f408}\u200d\u2b1b', // black cat (Unicode 13)
];
const INDIC = [range(0x0900, 0x097f), range(0x0980, 0x09ff), range(0x0b80, 0x0bff), range(0x0d00, 0x0d7f), range(0x0e00, 0x0e7f)];
const UCS_FILLERS = ['ж', 'ü', 'ç', '’', '中', 'ω', '😀', '\u{1f1fa}\u{1f1f8}', 'é', 'a', ' '];

const gsmText = (n) => repeat(n, () => pick(GSM));
const asciiText = (n) => repeat(n, () => pick(GSM_BASIC.filter((c) => c < '\u0080')));

function anyCodePoint() {
  const plane = pick([0, 0, 0, 0, 1, 1, 2, 3, 14, 15, 16]);
  for (;;) {
    const code = plane * 0x10000 + int(0, 0xffff);
    if (code < 0xd800 || code > 0xdfff) return cp(code);
  }
}

const generators = [
  // Random GSM text, basic and extension.
  [12, () => gsmText(int(0, 320))],
  // GSM around the 152/153/160/161 septet boundaries (and the next ones), with
  // extension characters placed where they would straddle.
  [12, () => {
    const target = pick([152, 153, 154, 159, 160, 161, 305, 306, 307, 458, 459, 460]) + int(-2, 2);
    const extensions = int(0, 4);
    let text = asciiText(Math.max(0, target - 2 * extensions));
    for (let i = 0; i < extensions; i++) {
      const at = random() < 0.7 ? text.length - int(0, 10) : int(0, text.length);
      text = text.slice(0, Math.max(0, at)) + pick(GSM_EXTENSION) + text.slice(Math.max(0, at));
    }
    return text;
  }],
  // UCS-2 around 66/67/70/71 (and 133–135) units, wide characters near the edge.
  [12, () => {
    const target = pick([65, 66, 67, 68, 69, 70, 71, 72, 133, 134, 135, 136, 201, 202]);
    let text = repeat(int(0, 3), () => pick(UCS_FILLERS));
    while (text.length < target - 2) text += random() < 0.8 ? pick(GSM_BASIC) : pick(UCS_FILLERS);
    return text + repeat(int(0, 3), () => pick(['😀', '👍🏽', 'ж', '{', '\u{1f1e9}\u{1f1ea}', 'e\u0301']));
  }],
  // Emoji with skin tones, and modifiers where they do not belong.
  [8, () => repeat(int(1, 40), () => {
    const r = random();
    if (r < 0.5) return pick(EMOJI_BASES) + (random() < 0.7 ? pick(SKIN) : '');
    if (r < 0.7) return pick(SKIN);
    if (r < 0.85) return pick(EMOJI_BASES) + pick(CLASSES.extend) + pick(SKIN);
    return pick(GSM_BASIC);
  })],
  // ZWJ sequences, old and new.
  [6, () => repeat(int(1, 25), () => (random() < 0.7 ? pick(ZWJ_SEQUENCES) : pick(GSM_BASIC)))],
  // Flags and odd runs of regional indicators, sometimes after Prepend or before marks.
  [6, () => repeat(int(1, 20), () => {
    const run = repeat(int(1, 5), () => pick(CLASSES.regional));
    const before = random() < 0.15 ? pick(CLASSES.prepend) : '';
    const after = random() < 0.25 ? repeat(int(1, 3), () => pick(CLASSES.extend)) : '';
    return before + run + after + (random() < 0.5 ? ' ' : '');
  })],
  // Combining marks, now and then a cluster bigger than a segment.
  [6, () => {
    if (random() < 0.15) {
      return asciiText(int(0, 80)) + 'e' + repeat(int(60, 160), () => pick(['\u0301', '\u0302', '\u0308'])) + asciiText(int(0, 80));
    }
    return repeat(int(1, 60), () => pick(GSM_BASIC) + repeat(int(0, 3), () => pick(CLASSES.extend)));
  }],
  // Hangul: jamo sequences and precomposed syllables.
  [5, () => repeat(int(1, 60), () => pick([...CLASSES.l, ...CLASSES.v, ...CLASSES.t, ...CLASSES.lv, ...CLASSES.lvt, ' ']))],
  // Indic scripts (Devanagari, Bengali, Tamil, Malayalam, Thai).
  [6, () => {
    const script = pick(INDIC);
    return repeat(int(1, 80), () => (random() < 0.9 ? pick(script) : ' '));
  }],
  // Line endings: CRLF, LF, CR mixes in GSM and UCS-2 text.
  [5, () => repeat(int(1, 60), () => pick(['\r\n', '\n', '\r', '\r\r\n', '\n\r', 'ab', 'ж', '😀', ' ']))],
  // Text smart encoding changes (measured with it more often than the rest).
  [10, () => repeat(int(1, 200), () => (random() < 0.35 ? pick(SMART) : pick(GSM_BASIC))), 0.7],
  // Very long texts.
  [1, () => {
    const n = int(2000, 2400);
    return random() < 0.5 ? gsmText(n) : repeat(n, () => (random() < 0.8 ? pick(GSM_BASIC) : pick(UCS_FILLERS)));
  }],
  // Random code points from every plane.
  [6, () => repeat(int(1, 60), () => (random() < 0.7 ? anyCodePoint() : pick(GSM_BASIC)))],
  // A soup of grapheme classes, sometimes behind a prefix that puts it on a segment edge.
  [10, () => {
    const prefix = random() < 0.4 ? asciiText(int(55, 72)) : '';
    return prefix + repeat(int(1, 14), () => pick(CLASSES[pick(CLASS_NAMES)]));
  }],
];
const totalWeight = generators.reduce((sum, [weight]) => sum + weight, 0);

/** A text and whether to measure it with smart encoding. */
function generate() {
  let r = random() * totalWeight;
  const [, make, smartChance = 0.3] = generators.find(([weight]) => (r -= weight) < 0) || generators[0];
  const text = make();
  return [text, random() < smartChance];
}

function answer(text, smartEncoding) {
  const message = new SegmentedMessage(text, 'auto', smartEncoding);
  const bits = message.encodingName === 'GSM-7' ? 7 : 16;
  if (message.messageSize % bits !== 0) throw new Error(`odd size ${message.messageSize}`);
  return {
    encoding: message.encodingName,
    segments: message.segmentsCount,
    units: message.messageSize / bits,
    non_gsm: message.getNonGsmCharacters(),
  };
}

const lines = [];
for (let i = 0; i < count; i++) {
  const [text, smartEncoding] = generate();
  lines.push(JSON.stringify({ text, smart_encoding: smartEncoding, expected: answer(text, smartEncoding) }));
}
process.stdout.write(lines.join('\n') + '\n');
