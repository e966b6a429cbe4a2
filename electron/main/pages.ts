// Where Portcullis' pages live and which URLs count as ours. Pure: shared by main and the tests.
import { extname, resolve, sep } from 'node:path';

export const APP_SCHEME = 'portcullis';
export const APP_ORIGIN = `${APP_SCHEME}://app`;
export const MAIN_PAGE = '/index.html';
export const PROMPT_PAGE = '/prompt.html';
export const NOTIFICATION_PAGE = '/notification.html';
export const OUR_PAGES = [MAIN_PAGE, PROMPT_PAGE, NOTIFICATION_PAGE] as const;

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

export function contentTypeOf(file: string): string {
  return contentTypes[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** The file under `rendererDir` that a request path names, or null when it would leave that folder. */
export function rendererFileFor(rendererDir: string, pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const relativePath = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
  const base = resolve(rendererDir);
  const file = resolve(base, relativePath);
  return file.startsWith(base + sep) ? file : null;
}
