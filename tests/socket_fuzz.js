// Runs the socket scenarios of test_socket_fuzz.py in node, one after another,
// each on a connection of its own over a Unix socket in the folder given, and
// prints each one's log as a JSON list of lists. The Python twin of this
// runner is in test_socket_fuzz.py: keep the two step for step alike.
'use strict';
const net = require('net');
const path = require('path');
const fs = require('fs');
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
  const listeners = { data: [], readable: [] };
  const dest = new Writable({
    highWaterMark: sc.destHwm,
    write(chunk, enc, cb) {
      log.push(['_write', show(chunk)]);
      if (sc.destMode === 'sync') cb(); else setImmediate(cb);
    },
  });
  dest.on('drain', () => log.push(['dest drain']));

  function listener(ev) {
    const id = ++ids;
    if (ev === 'data') return (chunk) => log.push(['data', id, show(chunk)]);
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
        listeners[a].push(fn);
        c[name](a, fn);
        break;
      }
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
      case 'state':
        log.push(['state', c.readableLength, c.readableFlowing, c.isPaused(), c.bytesRead,
                  c.destroyed]);
        break;
      default: throw new Error('unknown step ' + name);
    }
  }

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

  // Until every byte sent has been read (or the socket is gone), then two more turns.
  function settle(k, then) {
    if (c.bytesRead < sent && !c.destroyed && k < 1000) setImmediate(settle, k + 1, then);
    else setImmediate(() => setImmediate(then));
  }

  function runPhase(p) {
    if (p >= sc.phases.length) {
      finish();
      return;
    }
    runSteps(sc.phases[p], 0);
    settle(0, () => runPhase(p + 1));
  }

  // The peer ends: wait a bounded number of turns for 'end' (a paused socket never emits it).
  function finish() {
    log.push(['peer end']);
    peer.end();
    let k = 0;
    const wait = () => {
      if (!c.readableEnded && !c.destroyed && k++ < 50) setImmediate(wait);
      else {
        log.push(['state', c.readableLength, c.readableFlowing, c.isPaused(), c.bytesRead,
                  c.destroyed]);
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
    setImmediate(() => runPhase(0));
  });
  server.listen(where, () => {
    peer = net.connect(where);
    peer.on('error', () => {});
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
