// Node as the client, as a Node user writes one: the dial mode's program.
// node bench/dial_node.js HOST:PORT|PATH CONNECTIONS SIZE SECONDS
//   -> "connections N cpu S" (CPU seconds from the first connect on, as dial_pynet.py)
const net = require('net');
const [target, slots, size, seconds] = [process.argv[2], +process.argv[3], +process.argv[4],
  +process.argv[5]];
const where = target.includes(':')
  ? [+target.slice(target.lastIndexOf(':') + 1), target.slice(0, target.lastIndexOf(':'))]
  : [target];
const payload = Buffer.alloc(size, 'x');
const deadline = performance.now() + seconds * 1000;
let done = 0;

function dial() {
  const sock = net.connect(...where);
  let got = 0;
  sock.on('data', (d) => {
    got += d.length;
    if (got >= size) { done++; sock.end(); }
  });
  sock.on('close', () => { if (performance.now() < deadline) dial(); });
  sock.on('error', () => {});
  sock.write(payload);
}

const cpu0 = process.cpuUsage();
for (let i = 0; i < slots; i++) dial();
process.on('exit', () => {
  const cpu = process.cpuUsage(cpu0);
  console.log(`connections ${done} cpu ${((cpu.user + cpu.system) / 1e6).toFixed(6)}`);
});
