// Serves the built renderer over loopback HTTP with the CSP main sends, so the page runs under the same policy.
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CONTENT_SECURITY_POLICY } from '../../../electron/main/csp';
import { contentTypeOf, rendererFileFor } from '../../../electron/main/pages';

export interface RendererServer {
  /** http://127.0.0.1:PORT (no trailing slash). */
  readonly origin: string;
  close(): Promise<void>;
}

export async function serveRenderer(rendererDir: string): Promise<RendererServer> {
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const file = request.method === 'GET' ? rendererFileFor(rendererDir, url.pathname) : null;
    const notFound = (): void => {
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
    };
    if (!file) return notFound();
    readFile(file).then(
      (body) => {
        response
          .writeHead(200, {
            'Content-Type': contentTypeOf(file),
            'Content-Security-Policy': CONTENT_SECURITY_POLICY,
            'X-Content-Type-Options': 'nosniff',
            'Cache-Control': 'no-store',
          })
          .end(body);
      },
      () => notFound(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
