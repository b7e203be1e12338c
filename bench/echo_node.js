// Node's echo server, written as a Node user writes it: the peer for pynet.
// node bench/echo_node.js PORT  -> prints "listening on 127.0.0.1:PORT"
const net = require('net');
const server = net.createServer((c) => {
  c.on('data', (d) => { if (!c.write(d)) { c.pause(); c.once('drain', () => c.resume()); } });
  c.on('error', () => {});
});
server.listen(+(process.argv[2] || 0), '127.0.0.1', () => {
  console.log(`listening on 127.0.0.1:${server.address().port}`);
});
