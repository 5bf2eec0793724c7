// Preloaded into the Portkey gateway (node --import) so that it listens on 127.0.0.1 only.
//
// @portkey-ai/gateway 1.15.2 has no host option: build/start-server.js reads only --port=N and
// --headless, then calls @hono/node-server's serve({fetch, port}), which calls
// server.listen(port, undefined, callback) and so binds every interface. This fills in the
// missing host of any listen() call in the process with 127.0.0.1; calls that name a host or a
// Unix socket path are left alone.
import net from 'node:net';

const LOOPBACK = '127.0.0.1';
const listen = net.Server.prototype.listen;

net.Server.prototype.listen = function (...args) {
  const [first] = args;
  if (typeof first === 'object' && first !== null && !Array.isArray(first)) {
    if (first.path === undefined && first.host === undefined && first.handle === undefined
        && first.fd === undefined && first._handle === undefined) {
      args[0] = { ...first, host: LOOPBACK };
    }
  } else if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    if (args.length === 1 || args[1] === undefined || args[1] === null) {
      args[1] = LOOPBACK;
      if (args.length === 1) args.length = 2;
    } else if (typeof args[1] === 'function' || typeof args[1] === 'number') {
      args.splice(1, 0, LOOPBACK); // listen(port, callback) or listen(port, backlog, …)
    }
  }
  return listen.apply(this, args);
};
