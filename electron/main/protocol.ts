// Serves the built renderer under portcullis://app/ instead of file://, so our pages have one exact origin that
// the sender check can compare against, and no other file on disk is reachable from a page.
import { readFile } from 'node:fs/promises';
import { CONTENT_SECURITY_POLICY } from './csp';
import { APP_ORIGIN, contentTypeOf, rendererFileFor } from './pages';

export function rendererRequestHandler(rendererDir: string): (request: { url: string }) => Promise<Response> {
  return async (request) => {
    const url = new URL(request.url);
    const file = `${url.protocol}//${url.host}` === APP_ORIGIN ? rendererFileFor(rendererDir, url.pathname) : null;
    if (!file) return new Response('Not found', { status: 404 });
    try {
      const body = await readFile(file);
      return new Response(new Uint8Array(body), {
        status: 200,
        headers: {
          'Content-Type': contentTypeOf(file),
          'Content-Security-Policy': CONTENT_SECURITY_POLICY,
          'X-Content-Type-Options': 'nosniff',
        },
      });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  };
}
