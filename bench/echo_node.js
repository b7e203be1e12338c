// Node's echo server, written as a Node user writes it: the peer for pynet.
// node bench/echo_node.js PORT|PATH  -> prints "listening on 127.0.0.1:PORT" (or PATH)
const net = require('net');
const server = net.createServer((c) => {
  c.on('data', (d) => { if (!c.write(d)) { c.pause(); c.once('drain', () => c.resume()); } });
  c.on('error', () => {});
});
const target = process.argv[2] || '0';
const ready = () => {
  const a = server.address();
  console.log(`listening on ${typeof a === 'string' ? a : '127.0.0.1:' + a.port}`);
};
if (/^\d+$/.test(target)) server.listen(+target, '127.0.0.1', ready);
else server.listen(target, ready);
process.on('SIGINT', () => server.close(() => process.exit(0)));
