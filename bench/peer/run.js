'use strict';
// The peer side of bench/pii-peer.sh: redact-pii 3.4.0 (npm) with its default configuration.
//   node run.js time <texts.json> <warmup s> <measure s>   -> "<kind> <µs per call>" lines
//   node run.js serve <texts.json>                          -> reads "warmup <kind> <s>" / "measure <kind> <s>"
//                                                              lines on stdin, answers "<µs per call>" to each
//   node run.js predict <labeled.jsonl> <out.jsonl>         -> {"entities":[{type,start,end}]} per line
// redact-pii only returns redacted text. To score it on spans, "predict" replays its exact pipeline
// (its own regular expressions, its name list, the same order) while tracking where every output
// character came from, and checks that the replayed text equals SyncRedactor.redact() for every
// input: if one differs, the run stops, so the spans are those redact-pii really replaced.
const fs = require('fs');
const { SyncRedactor } = require('redact-pii');
const patterns = require('redact-pii/lib/built-ins/simple-regexp-patterns');
const wellKnown = require('redact-pii/lib/built-ins/well-known-names.json');
const { snakeCase } = require('lodash');

// Copied from redact-pii 3.4.0 lib/built-ins/NameRedactor.js, where they are module-private.
const greetingRegex = /(^|\.\s+)(dear|hi|hello|greetings|hey|hey there)/gi;
const closingRegex = /(thx|thanks|thank you|regards|best|[a-z]+ly|[a-z]+ regards|all the best|happy [a-z]+ing|take care|have a [a-z]+ (weekend|night|day))/gi;
const greetingOrClosing = new RegExp('(((' + greetingRegex.source + ')|(' + closingRegex.source + '\\s*[,.!]*))[\\s-]*)', 'gi');
const genericName = new RegExp('( ?(([A-Z][a-z]+)|([A-Z]\\.)))+([,.]|[,.]?$)', 'gm');
const wellKnownNames = new RegExp('\\b(\\s*)(\\s*(' + wellKnown.join('|') + '))+\\b', 'gim');

// redact-pii label -> Presidio entity type of the labeled set (others keep their own name)
const TYPES = {
  CREDIT_CARD_NUMBER: 'CREDIT_CARD',
  STREET_ADDRESS: 'LOCATION',
  PHONE_NUMBER: 'PHONE_NUMBER',
  IP_ADDRESS: 'IP_ADDRESS',
  US_SOCIAL_SECURITY_NUMBER: 'US_SSN',
  EMAIL_ADDRESS: 'EMAIL_ADDRESS',
  URL: 'URL',
  PERSON_NAME: 'PERSON',
};

// A text being redacted, with the origin of each character: an index into the original text, or
// -(n + 1) for a character of the n-th replacement label.
class Tracked {
  constructor(text) {
    this.text = text;
    this.src = new Array(text.length);
    for (let i = 0; i < text.length; i++) this.src[i] = i;
    this.labels = [];
  }
  // The original span covered by current characters [s, e).
  span(s, e) {
    let start = Infinity;
    let end = -Infinity;
    for (let i = s; i < e; i++) {
      const o = this.src[i];
      const [a, b] = o >= 0 ? [o, o + 1] : [this.labels[-o - 1].start, this.labels[-o - 1].end];
      if (a < start) start = a;
      if (b > end) end = b;
    }
    return { start, end };
  }
  // Replaces current [s, e) by keepBefore chars of the match, the label, and keepAfter chars of it.
  replace(s, e, label, keepBefore, keepAfter) {
    const covered = this.span(s + keepBefore, e - keepAfter);
    this.labels.push({ type: label, start: covered.start, end: covered.end });
    const id = -this.labels.length;
    const text = this.text.slice(0, s + keepBefore) + label + this.text.slice(e - keepAfter);
    const src = this.src.slice(0, s + keepBefore).concat(new Array(label.length).fill(id), this.src.slice(e - keepAfter));
    this.text = text;
    this.src = src;
  }
}

function replayRegexp(t, regexp, label) {
  const re = new RegExp(regexp.source, regexp.flags);
  const matches = [];
  let m;
  while ((m = re.exec(t.text)) !== null) {
    if (m[0].length === 0) throw new Error('empty match for ' + label);
    matches.push([m.index, m.index + m[0].length]);
  }
  for (let k = matches.length - 1; k >= 0; k--) t.replace(matches[k][0], matches[k][1], label, 0, 0);
}

function replayNames(t, label) {
  greetingOrClosing.lastIndex = 0;
  genericName.lastIndex = 0;
  let g = greetingOrClosing.exec(t.text);
  while (g !== null) {
    genericName.lastIndex = greetingOrClosing.lastIndex;
    const n = genericName.exec(t.text);
    if (n !== null && n.index === greetingOrClosing.lastIndex) {
      const suffix = n[5] === null ? '' : n[5];
      t.replace(n.index, n.index + n[0].length, label, 0, suffix.length);
    }
    g = greetingOrClosing.exec(t.text);
  }
  const re = new RegExp(wellKnownNames.source, wellKnownNames.flags);
  const matches = [];
  let m;
  while ((m = re.exec(t.text)) !== null) {
    if (m[0].length === 0) {
      re.lastIndex++;
      matches.push([m.index, m.index, 0]);
      continue;
    }
    matches.push([m.index, m.index + m[0].length, m[1].length]);
  }
  for (let k = matches.length - 1; k >= 0; k--) t.replace(matches[k][0], matches[k][1], label, matches[k][2], 0);
}

function predict(redactor, text) {
  const t = new Tracked(text);
  for (const name of Object.keys(patterns)) replayRegexp(t, patterns[name], snakeCase(name).toUpperCase());
  replayNames(t, 'PERSON_NAME');
  const expected = redactor.redact(text);
  if (t.text !== expected) {
    throw new Error('replay differs from redact-pii for ' + JSON.stringify(text) + '\n  replay: ' + JSON.stringify(t.text)
      + '\n  actual: ' + JSON.stringify(expected));
  }
  // labels still visible in the output (later ones can swallow earlier ones)
  const visible = new Set(t.src.filter((o) => o < 0));
  const entities = [];
  for (const id of visible) {
    const l = t.labels[-id - 1];
    entities.push({ type: TYPES[l.type] || l.type, start: l.start, end: l.end });
  }
  entities.sort((a, b) => a.start - b.start);
  return entities;
}

function time(redactor, texts, warmup, measure) {
  let sink = 0;
  let i = 0;
  const warmupEnd = process.hrtime.bigint() + BigInt(Math.round(warmup * 1e9));
  while (process.hrtime.bigint() < warmupEnd) sink += redactor.redact(texts[i++ % texts.length]).length;
  let calls = 0;
  const start = process.hrtime.bigint();
  const end = start + BigInt(Math.round(measure * 1e9));
  let now;
  do {
    sink += redactor.redact(texts[i++ % texts.length]).length;
    calls++;
    now = process.hrtime.bigint();
  } while (now < end);
  if (sink === 42) process.stdout.write('');
  return Number(now - start) / 1e3 / calls;
}

const [mode, input, a, b] = process.argv.slice(2);
const redactor = new SyncRedactor();
if (mode === 'time') {
  const kinds = JSON.parse(fs.readFileSync(input, 'utf8'));
  for (const kind of Object.keys(kinds)) {
    process.stdout.write(kind + ' ' + time(redactor, kinds[kind], Number(a), Number(b)).toFixed(3) + '\n');
  }
} else if (mode === 'serve') {
  const kinds = JSON.parse(fs.readFileSync(input, 'utf8'));
  const readline = require('readline');
  const rl = readline.createInterface({ input: process.stdin });
  rl.on('line', (line) => {
    const [command, kind, seconds] = line.trim().split(/\s+/);
    if (!kinds[kind]) throw new Error('unknown text kind ' + kind);
    const us = command === 'warmup' ? time(redactor, kinds[kind], Number(seconds), 0.01) : time(redactor, kinds[kind], 0, Number(seconds));
    process.stdout.write(us.toFixed(3) + '\n');
  });
} else if (mode === 'predict') {
  const lines = fs.readFileSync(input, 'utf8').split('\n').filter((l) => l.length > 0);
  const out = lines.map((line) => JSON.stringify({ entities: predict(redactor, JSON.parse(line).text) }));
  fs.writeFileSync(a, out.join('\n') + '\n');
} else {
  process.stderr.write('usage: node run.js time <texts.json> <warmup s> <measure s> | serve <texts.json>'
    + ' | predict <in.jsonl> <out.jsonl>\n');
  process.exit(2);
}
