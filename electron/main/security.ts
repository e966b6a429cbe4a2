// Hardening that applies to every page: the elevated main process must never load or grant anything remote.
import { CONTENT_SECURITY_POLICY } from './csp';
import type { SessionLike, WebContentsLike } from './deps';
import { APP_SCHEME } from './pages';

/**
 * Requests are allowed only to our own scheme, and in a development run to devtools: (which only DevTools itself
 * requests); the installed app has no DevTools at all.
 */
export function isAllowedRequest(url: string, options: { devTools: boolean } = { devTools: false }): boolean {
  return url.startsWith(`${APP_SCHEME}:`) || (options.devTools && url.startsWith('devtools:'));
}

export function hardenSession(session: SessionLike, options: { devTools: boolean }): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.webRequest.onBeforeRequest((details, callback) =>
    callback({ cancel: !isAllowedRequest(details.url, options) }),
  );
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers = { ...(details.responseHeaders ?? {}) };
    for (const key of Object.keys(headers)) {
      if (key.toLowerCase() === 'content-security-policy') delete headers[key];
    }
    headers['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY];
    callback({ responseHeaders: headers });
  });
}

export function hardenContents(contents: WebContentsLike): void {
  // Our pages never navigate: every view lives in one document. A navigation means injected content.
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

export function secureWebPreferences(preload: string, devTools: boolean) {
  return {
    preload,
    devTools,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
  } as const;
}
