import net from 'node:net';

/** A TCP server on 127.0.0.1 with an OS-chosen port, handing out accepted sockets in order. */
export interface LoopbackServer {
  readonly port: number;
  /** The next accepted socket (resolves in accept order). */
  accepted(): Promise<net.Socket>;
  /** Destroy every accepted socket and close the server. */
  close(): Promise<void>;
}

/** Listen on 127.0.0.1 port 0 (loopback only, per the test rules). */
export async function listenLoopback(serverOptions: net.ServerOpts = {}): Promise<LoopbackServer> {
  const queue: net.Socket[] = [];
  const waiters: Array<(socket: net.Socket) => void> = [];
  const all: net.Socket[] = [];
  const server = net.createServer(serverOptions, (socket) => {
    all.push(socket);
    socket.on('error', () => undefined); // resets at teardown are expected
    const waiter = waiters.shift();
    if (waiter) waiter(socket);
    else queue.push(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('server has no TCP address');
  return {
    port: address.port,
    accepted: () => {
      const ready = queue.shift();
      if (ready) return Promise.resolve(ready);
      return new Promise<net.Socket>((resolve) => waiters.push(resolve));
    },
    close: async () => {
      for (const socket of all) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
