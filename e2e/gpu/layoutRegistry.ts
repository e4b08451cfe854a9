/**
 * Serves an OCI image layout directory (index.json + blobs/sha256/*) on loopback over the read
 * side of the OCI distribution API: `GET/HEAD /v2/`, `/v2/<name>/manifests/<digest>` and
 * `/v2/<name>/blobs/<digest>`. The GPU check carries its image as a layout (the GPU machine has no
 * network and no registry) and the worker's image store pulls it from here exactly as it pulls from
 * a real registry: by digest, each blob checked while it streams.
 *
 * Read-only and digest-addressed: nothing can be pushed, and a name resolves nothing by tag.
 */
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export type LayoutRegistry = { host: string; stop: () => Promise<void> };

const digestPattern = /^sha256:[0-9a-f]{64}$/;

/** Starts the server on 127.0.0.1 (a free port); `host` is what an image reference names. */
export async function serveLayout(layoutDir: string): Promise<LayoutRegistry> {
  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://registry');
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'read-only');
      if (url.pathname === '/v2/' || url.pathname === '/v2') return send(res, 200, '{}', 'application/json');
      const m = /^\/v2\/(.+)\/(manifests|blobs)\/([^/]+)$/.exec(url.pathname);
      if (!m || !digestPattern.test(m[3]!)) return send(res, 404, '{"errors":[{"code":"NAME_UNKNOWN"}]}', 'application/json');
      const digest = m[3]!;
      const file = join(layoutDir, 'blobs', 'sha256', digest.slice(7));
      const st = await stat(file).catch(() => undefined);
      if (!st) return send(res, 404, `{"errors":[{"code":"${m[2] === 'manifests' ? 'MANIFEST_UNKNOWN' : 'BLOB_UNKNOWN'}"}]}`, 'application/json');
      let type = 'application/octet-stream';
      if (m[2] === 'manifests') type = (JSON.parse(await readFile(file, 'utf8')) as { mediaType?: string }).mediaType ?? 'application/vnd.oci.image.manifest.v1+json';
      res.writeHead(200, { 'content-type': type, 'content-length': st.size, 'docker-content-digest': digest });
      if (req.method === 'HEAD') return res.end();
      createReadStream(file).pipe(res);
    })().catch((err: Error) => send(res, 500, err.message));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function send(res: import('node:http').ServerResponse, status: number, body: string, type = 'text/plain'): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
