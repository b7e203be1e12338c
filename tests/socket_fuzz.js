// Runs the socket scenarios of test_socket_fuzz.py in node, one after another,
// each on a connection of its own over a Unix socket in the folder given, and
// prints each one's log as a JSON list of lists. The Python twin of this
// runner is in test_socket_fuzz.py: keep the two step for step alike.
'use strict';
const net = require('net');
const path = require('path');
const fs = require('fs');
const crypto = require('crypto');
const { Writable } = require('stream');

const scenarios = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const folder = process.argv[3];
const logs = [];

const show = (v) => (v === null || v === undefined ? null :
  Buffer.isBuffer(v) ? 'b:' + v.toString('latin1') : v);

function runScenario(sc, where, log, done) {
  let c = null;
  let peer = null;
  let sent = 0;
  let closeSeen = false;
  let ids = 0;
  let peerReading = true;
  let peerGot = 0;
  const peerHash = crypto.createHash('sha1');
  const listeners = { data: [], readable: [] };
  const dest = new Writable({
    highWaterMark: sc.destHwm,
    write(chunk, enc, cb) {
      log.push(['_write', show(chunk)]);
      if (sc.destMode === 'sync') cb(); else setImmediate(cb);
    },
  });
  dest.on('drain', () => log.push(['dest drain']));

  // A write's payload: the text given, or `size` times one letter.
  const payload = (id, size) => (typeof size === 'string' ? size :
    String.fromCharCode(102 + (id % 20)).repeat(size));

  function listener(ev) {
    const id = ++ids;
    if (ev === 'data') return (chunk) => log.push(['data', id, show(chunk)]);
    if (ev === 'echo') return (chunk) => log.push(['echo', id, c.write(chunk)]);
    return () => {
      log.push(['readable', id, c.readableLength]);
      if (sc.onReadable === 'drain') {
        let chunk;
        while ((chunk = c.read()) !== null) log.push(['read in readable', show(chunk)]);
      } else if (sc.onReadable === 'read2') {
        log.push(['read in readable', show(c.read(2))]);
      }
    };
  }

  function step(op) {
    const [name, a] = op;
    switch (name) {
      case 'send': peer.write(a); sent += Buffer.byteLength(a); break;
      case 'pause': c.pause(); break;
      case 'resume': c.resume(); break;
      case 'on': case 'once': case 'prependListener': {
        const fn = listener(a);
        const ev = a === 'echo' ? 'data' : a;
        listeners[ev].push(fn);
        c[name](ev, fn);
        break;
      }
      case 'write': {
        const [kind, size] = op.slice(1);
        const id = ++ids;
        const text = payload(id, size);
        let ret;
        if (kind === 'str') ret = c.write(text);
        else if (kind === 'empty') ret = c.write(Buffer.alloc(0));
        else if (kind === 'cb') {
          ret = c.write(Buffer.from(text), (e) => log.push(['write cb', id, e ? e.code : null]));
        } else ret = c.write(Buffer.from(text));
        log.push(['write', id, ret]);
        break;
      }
      case 'cork': c.cork(); break;
      case 'uncork': c.uncork(); break;
      case 'end': c.end(); break;
      case 'peer pause': peer.pause(); peerReading = false; break;
      case 'peer resume': peer.resume(); peerReading = true; break;
      case 'off': if (listeners[a].length) c.removeListener(a, listeners[a].pop()); break;
      case 'removeAllListeners': c.removeAllListeners(a); listeners[a] = []; break;
      case 'setEncoding': c.setEncoding(a); break;
      case 'read': log.push(['read', a, show(c.read(a === null ? undefined : a))]); break;
      case 'unshift': log.push(['unshift', a, c.unshift(a)]); break;
      case 'setTimeout': c.setTimeout(a); break;
      case 'readableFlowing': c.readableFlowing = false; break;
      case 'pipe': c.pipe(dest, { end: false }); break;
      case 'unpipe': c.unpipe(dest); break;
      case 'destroy': c.destroy(); break;
      case 'state': log.push(state()); break;
      default: throw new Error('unknown step ' + name);
    }
  }

  const state = () => ['state', c.readableLength, c.readableFlowing, c.isPaused(), c.bytesRead,
    c.destroyed, c.writableLength, c.writableNeedDrain, c.bytesWritten, c.writableEnded,
    c.writableFinished, c.writableCorked];

  function runSteps(steps, i) {
    for (; i < steps.length; i++) {
      if (steps[i][0] === 'tick') {
        process.nextTick(runSteps, steps, i + 1);
        return;
      }
      try {
        step(steps[i]);
      } catch (e) {
        log.push(['throw', e.code || e.message]);
      }
    }
  }

  // Until every byte sent has been read and, while the peer reads, every byte
  // written has reached it (or the socket is gone), then two more turns.
  const writing = () => peerReading && !c.writableCorked &&
    (c.writableLength > 0 || peerGot < c.bytesWritten);
  function settle(k, then) {
    if ((c.bytesRead < sent || writing()) && !c.destroyed && k < 1000) {
      setImmediate(settle, k + 1, then);
    } else setImmediate(() => setImmediate(then));
  }

  function runPhase(p) {
    if (p >= sc.phases.length) {
      finish();
      return;
    }
    runSteps(sc.phases[p], 0);
    settle(0, () => runPhase(p + 1));
  }

  // The peer reads what is left, then ends: wait a bounded number of turns
  // for 'end' (a paused socket never emits it).
  function finish() {
    peer.resume();
    peerReading = true;
    settle(0, peerEnd);
  }

  function peerEnd() {
    log.push(['peer end']);
    peer.end();
    let k = 0;
    const wait = () => {
      if (!c.readableEnded && !c.destroyed && k++ < 50) setImmediate(wait);
      else {
        log.push(state());
        log.push(['peer got', peerGot, peerHash.digest('hex')]);
        // The next scenario starts once the socket and the server have both closed.
        let left = 2;
        const closed = () => { if (--left === 0) done(); };
        if (closeSeen) left--; else c.on('close', closed);
        c.destroy();
        peer.destroy();
        server.close(closed);
      }
    };
    setImmediate(wait);
  }

  const server = net.createServer((sock) => {
    c = sock;
    c.on('end', () => log.push(['end']));
    c.on('close', () => { log.push(['close']); closeSeen = true; });
    c.on('error', (e) => log.push(['error', e.code || e.message]));
    c.on('timeout', () => log.push(['timeout']));
    c.on('drain', () => log.push(['drain', c.writableLength]));
    c.on('finish', () => log.push(['finish']));
    setImmediate(() => runPhase(0));
  });
  server.listen(where, () => {
    peer = net.connect(where);
    peer.on('error', () => {});
    peer.on('data', (d) => { peerGot += d.length; peerHash.update(d); });
  });
}

function next(i) {
  if (i >= scenarios.length) {
    process.stdout.write(JSON.stringify(logs));
    return;
  }
  const log = [];
  logs.push(log);
  runScenario(scenarios[i], path.join(folder, `fuzz${i}.sock`), log, () => next(i + 1));
}

next(0);
