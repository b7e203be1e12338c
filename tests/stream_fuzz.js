// Runs the stream scenarios of test_stream_fuzz.py in node, one after another,
// and prints each one's log as a JSON list of lists. The Python twin of this
// runner is in test_stream_fuzz.py: keep the two step for step alike.
'use strict';
const { Readable, Writable, Duplex } = require('stream');
const fs = require('fs');

const scenarios = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const logs = [];

const show = (v) => (v === null || v === undefined ? null :
  Buffer.isBuffer(v) ? 'b:' + v.toString('latin1') : v);

// Calls cb now, on the next tick or on the next turn (or never).
function later(mode, cb) {
  if (mode === 'sync') cb();
  else if (mode === 'tick') process.nextTick(cb);
  else if (mode === 'immediate') setImmediate(cb);
}

// kind: 'readable', 'writable', 'duplex', or 'pipe' (a Readable piped into a
// Writable); r is the stream read from, w the one written to.
function runScenario(sc, log) {
  const readable = sc.kind !== 'writable';
  const writable = sc.kind !== 'readable';
  const opts = { highWaterMark: sc.hwm, objectMode: sc.objectMode, emitClose: sc.emitClose,
                 autoDestroy: sc.autoDestroy };
  const wopts = sc.kind === 'pipe' ?
    { highWaterMark: sc.destHwm, objectMode: sc.objectMode, emitClose: sc.emitClose,
      autoDestroy: sc.autoDestroy } : opts;
  if (readable) {
    const source = sc.source.slice();
    const produce = () => {
      if (source.length) {
        const c = source.shift();
        log.push(['produce', c, r.push(c)]);
      }
    };
    opts.read = function(n) {
      log.push(['_read', n]);
      later(sc.readMode, produce);
    };
  }
  if (writable) {
    wopts.decodeStrings = sc.decodeStrings;
    // A chunk 'x' fails its write.
    // 'alternate': the first write calls back on the next turn, the next at
    // once, and so on.
    let writes = 0;
    const done = (chunks, cb) => later(
      sc.writeMode !== 'alternate' ? sc.writeMode : writes++ % 2 ? 'sync' : 'immediate',
      () => cb(chunks.includes('x') ? new Error('bad write') : undefined));
    wopts.write = function(c, enc, cb) {
      log.push(['_write', show(c), enc]);
      done([c.toString()], cb);
    };
    if (sc.writev) {
      wopts.writev = function(chunks, cb) {
        log.push(['_writev', chunks.map((c) => [show(c.chunk), c.encoding])]);
        done(chunks.map((c) => c.chunk.toString()), cb);
      };
    }
    if (sc.final !== 'none') {
      wopts.final = function(cb) {
        log.push(['_final']);
        later(sc.final, () => cb());
      };
    }
  }
  if (sc.kind === 'duplex') opts.allowHalfOpen = sc.allowHalfOpen;
  if (sc.encoding) opts.encoding = sc.encoding;
  let r = null;
  let w = null;
  if (sc.kind === 'duplex') {
    r = w = new Duplex(opts);
  } else {
    if (readable) r = new Readable(opts);
    if (writable) w = new Writable(wopts);
  }
  const s = r ?? w;
  s.on('error', (e) => log.push(['error', e.message]));
  s.on('close', () => log.push(['close']));
  if (writable) {
    const d = w === s ? '' : 'dest ';
    if (d) {
      w.on('error', (e) => log.push([d + 'error', e.message]));
      w.on('close', () => log.push([d + 'close']));
      w.on('pipe', (src) => log.push([d + 'pipe', src === r]));
      w.on('unpipe', (src) => log.push([d + 'unpipe', src === r]));
    }
    for (const ev of ['drain', 'prefinish', 'finish']) w.on(ev, () => log.push([d + ev]));
  }
  const listeners = {};
  const listener = (ev) => {
    if (ev === 'data') return (c) => log.push(['data', show(c)]);
    if (ev === 'readable') {
      return () => {
        log.push(['readable', r.readableLength]);
        if (sc.onReadable === 'drain') {
          let c;
          while ((c = r.read()) !== null) log.push(['read in readable', show(c)]);
        } else if (sc.onReadable === 'read2') {
          log.push(['read in readable', show(r.read(2))]);
        }
      };
    }
    return () => log.push([ev]);
  };
  const add = (how, ev) => {
    const fn = listener(ev);
    (listeners[ev] ??= []).push(fn);
    r[how](ev, fn);
  };
  let ids = 0;
  const callback = () => {
    const id = ++ids;
    return (err) => log.push(['cb', id, err ? err.message : null]);
  };

  const step = (op) => {
    const [name, a, withCb] = op;
    switch (name) {
      case 'push': log.push(['push', a, r.push(a)]); break;
      case 'unshift': log.push(['unshift', a, r.unshift(a)]); break;
      case 'read': log.push(['read', a, show(r.read(a === null ? undefined : a))]); break;
      case 'pause': r.pause(); break;
      case 'resume': r.resume(); break;
      case 'on': case 'once': case 'prependListener': add(name, a); break;
      case 'off': {
        const fn = (listeners[a] ?? []).pop();
        if (fn) r.removeListener(a, fn);
        break;
      }
      case 'removeAllListeners': r.removeAllListeners(a); listeners[a] = []; break;
      case 'setEncoding': r.setEncoding(a); break;
      case 'write': {
        const enc = op[3] ? [op[3]] : [];  // an explicit encoding
        log.push(['write', a, withCb ? w.write(a, ...enc, callback()) : w.write(a, ...enc)]);
        break;
      }
      case 'end':
        w.end(...(a === null ? [] : [a]), ...(withCb ? [callback()] : []));
        log.push(['end', a]);
        break;
      case 'cork': w.cork(); break;
      case 'uncork': w.uncork(); break;
      case 'destroy': s.destroy(a ? new Error(a) : undefined); break;
      case 'destroyDest': w.destroy(a ? new Error(a) : undefined); break;
      case 'pipe': r.pipe(w, { end: a }); break;
      case 'unpipe': if (a) r.unpipe(); else r.unpipe(w); break;
      case 'state': {
        const st = ['state'];
        for (const x of r && w && w !== r ? [r, w] : [s]) {
          st.push(x.destroyed, x.closed, x.errored ? x.errored.message : null);
        }
        if (readable) {
          st.push(r.readableLength, r.readableFlowing, r.isPaused(), r.readableEnded,
                  r.readable, r.readableDidRead, r.readableAborted);
        }
        if (writable) {
          st.push(w.writableLength, w.writableNeedDrain, w.writableEnded,
                  w.writableFinished, w.writable, w.writableCorked, w.writableAborted);
        }
        log.push(st);
        break;
      }
      default: throw new Error('unknown step ' + name);
    }
  };

  // Steps of one phase run in one go; a 'tick' step defers the rest of its
  // phase to process.nextTick; each next phase runs in a setImmediate.
  const runSteps = (steps, i) => {
    for (; i < steps.length; i++) {
      if (steps[i][0] === 'tick') {
        const from = i + 1;
        process.nextTick(() => runSteps(steps, from));
        return;
      }
      try {
        step(steps[i]);
      } catch (e) {
        log.push(['throw', e.code ?? null, e.message]);
      }
    }
  };
  const runPhase = (p) => {
    if (p >= sc.phases.length) return;
    runSteps(sc.phases[p], 0);
    setImmediate(() => runPhase(p + 1));
  };
  runPhase(0);
}

// 'beforeExit' comes when the loop has nothing left to do: the same point at
// which the Python runner's net.run() returns.
let next = 0;
let printed = false;
process.on('beforeExit', () => {
  if (next < scenarios.length) {
    const log = [];
    logs.push(log);
    runScenario(scenarios[next++], log);
  } else if (!printed) {
    printed = true;
    process.stdout.write(JSON.stringify(logs) + '\n');
  }
});
