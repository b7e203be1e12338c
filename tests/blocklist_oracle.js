// Evaluates BlockList / SocketAddress / isIP cases with node's own net module.
// stdin: JSON list of cases; stdout: JSON list of answers (see test_blocklist.py).
'use strict';
const net = require('net');
const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const attempt = (f) => { try { return { ok: f() }; } catch (e) { return { code: e.code || e.name }; } };
const out = input.map((c) => {
  const bl = new net.BlockList();
  const adds = c.rules.map((r) => attempt(() => {
    if (r[0] === 'address') bl.addAddress(r[1], r[2]);
    else if (r[0] === 'range') bl.addRange(r[1], r[2], r[3]);
    else bl.addSubnet(r[1], r[2], r[3]);
    return null;
  }));
  return {
    adds,
    rules: bl.rules,
    checks: c.probes.map((p) => bl.check(p[0], p[1])),
    isip: c.ips.map((s) => net.isIP(s)),
    sockaddrs: c.sockaddrs.map((p) => attempt(() => new net.SocketAddress({ address: p[0], family: p[1] }).address)),
  };
});
process.stdout.write(JSON.stringify(out));
