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

function runScenario(sc, log) {
  const readable = sc.kind !== 'writable';
  const writable = sc.kind !== 'readable';
  const opts = { highWaterMark: sc.hwm, objectMode: sc.objectMode };
  if (readable) {
    const source = sc.source.slice();
    const produce = () => {
      if (source.length) {
        const c = source.shift();
        log.push(['produce', c, s.push(c)]);
      }
    };
    opts.read = function(n) {
      log.push(['_read', n]);
      later(sc.readMode, produce);
    };
  }
  if (writable) {
    opts.decodeStrings = sc.decodeStrings;
    // A chunk 'x' fails its write.
    const done = (chunks, cb) => later(sc.writeMode, () => cb(
      chunks.includes('x') ? new Error('bad write') : undefined));
    opts.write = function(c, enc, cb) {
      log.push(['_write', show(c), enc]);
      done([c.toString()], cb);
    };
    if (sc.writev) {
      opts.writev = function(chunks, cb) {
        log.push(['_writev', chunks.map((c) => [show(c.chunk), c.encoding])]);
        done(chunks.map((c) => c.chunk.toString()), cb);
      };
    }
    if (sc.final !== 'none') {
      opts.final = function(cb) {
        log.push(['_final']);
        later(sc.final, () => cb());
      };
    }
  }
  if (sc.kind === 'duplex') opts.allowHalfOpen = sc.allowHalfOpen;
  const s = new { readable: Readable, writable: Writable, duplex: Duplex }[sc.kind](opts);

  s.on('error', (e) => log.push(['error', e.message]));
  s.on('close', () => log.push(['close']));
  if (writable) {
    for (const ev of ['drain', 'prefinish', 'finish']) s.on(ev, () => log.push([ev]));
  }
  const listeners = {};
  const listener = (ev) => {
    if (ev === 'data') return (c) => log.push(['data', show(c)]);
    if (ev === 'readable') {
      return () => {
        log.push(['readable', s.readableLength]);
        if (sc.onReadable === 'drain') {
          let c;
          while ((c = s.read()) !== null) log.push(['read in readable', show(c)]);
        } else if (sc.onReadable === 'read2') {
          log.push(['read in readable', show(s.read(2))]);
        }
      };
    }
    return () => log.push([ev]);
  };
  const add = (how, ev) => {
    const fn = listener(ev);
    (listeners[ev] ??= []).push(fn);
    s[how](ev, fn);
  };
  let ids = 0;
  const callback = () => {
    const id = ++ids;
    return (err) => log.push(['cb', id, err ? err.message : null]);
  };

  const step = (op) => {
    const [name, a, withCb] = op;
    switch (name) {
      case 'push': log.push(['push', a, s.push(a)]); break;
      case 'unshift': log.push(['unshift', a, s.unshift(a)]); break;
      case 'read': log.push(['read', a, show(s.read(a === null ? undefined : a))]); break;
      case 'pause': s.pause(); break;
      case 'resume': s.resume(); break;
      case 'on': case 'once': case 'prependListener': add(name, a); break;
      case 'off': {
        const fn = (listeners[a] ?? []).pop();
        if (fn) s.removeListener(a, fn);
        break;
      }
      case 'removeAllListeners': s.removeAllListeners(a); listeners[a] = []; break;
      case 'setEncoding': s.setEncoding(a); break;
      case 'write':
        log.push(['write', a, withCb ? s.write(a, callback()) : s.write(a)]);
        break;
      case 'end':
        s.end(...(a === null ? [] : [a]), ...(withCb ? [callback()] : []));
        log.push(['end', a]);
        break;
      case 'cork': s.cork(); break;
      case 'uncork': s.uncork(); break;
      case 'destroy': s.destroy(a ? new Error(a) : undefined); break;
      case 'state': {
        const st = ['state', s.destroyed, s.closed, s.errored ? s.errored.message : null];
        if (readable) {
          st.push(s.readableLength, s.readableFlowing, s.isPaused(), s.readableEnded,
                  s.readable, s.readableDidRead, s.readableAborted);
        }
        if (writable) {
          st.push(s.writableLength, s.writableNeedDrain, s.writableEnded,
                  s.writableFinished, s.writable, s.writableCorked, s.writableAborted);
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
