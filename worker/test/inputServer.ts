/** A local HTTP server serving test inputs, and the sha256 helper the tests name them by. */
import { createHash } from 'node:crypto';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

export const GOOD = 'hello loom\n';

export type InputServer = { url: string; hits: string[]; close(): Promise<void> };

/**
 * Routes: /good.txt, /tampered.txt (not what GOOD hashes to), /big (2 MiB with Content-Length),
 * /stream (2 MiB chunked, no length), /redirect (-> /good.txt), /slow (never finishes), /missing (404),
 * /artifacts/0x<sha256 of GOOD> (the artifact store).
 */
export async function startInputServer(): Promise<InputServer> {
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    hits.push(req.url ?? '');
    const big = Buffer.alloc(2 * 2 ** 20, 'x');
    switch (req.url) {
      case '/good.txt':
      case `/artifacts/0x${sha256(GOOD)}`:
        res.end(GOOD);
        return;
      case '/tampered.txt':
        res.end('hello l00m\n');
        return;
      case '/big':
        res.writeHead(200, { 'content-length': String(big.length) }).end(big);
        return;
      case '/stream':
        res.writeHead(200);
        for (let i = 0; i < 32; i++) res.write(big.subarray(0, big.length / 32));
        res.end();
        return;
      case '/redirect':
        res.writeHead(302, { location: '/good.txt' }).end();
        return;
      case '/slow':
        res.writeHead(200);
        res.write('x');
        return;
      default:
        res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}
