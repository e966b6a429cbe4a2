// portcullis://app/ serves the built renderer and nothing else on disk.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../../electron/main/csp';
import { rendererRequestHandler } from '../../../electron/main/protocol';

const root = mkdtempSync(join(tmpdir(), 'portcullis-protocol-'));
const rendererDir = join(root, 'renderer');
mkdirSync(join(rendererDir, 'assets'), { recursive: true });
writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Portcullis</title>');
writeFileSync(join(rendererDir, 'assets', 'app.js'), 'export {};');
writeFileSync(join(root, 'secret.txt'), 'rules and tokens');
const serve = rendererRequestHandler(rendererDir);

describe('portcullis:// protocol', () => {
  it('serves our pages with the CSP and the right content type', async () => {
    const page = await serve({ url: 'portcullis://app/index.html' });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toContain('<title>Portcullis</title>');
    const script = await serve({ url: 'portcullis://app/assets/app.js' });
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it.each([
    'portcullis://app/../secret.txt',
    'portcullis://app/%2e%2e/secret.txt',
    'portcullis://app/assets/..%2f..%2fsecret.txt',
    'portcullis://app/%00index.html',
    'portcullis://other/index.html',
    'portcullis://app/missing.html',
  ])('answers 404 for %s', async (url) => {
    const response = await serve({ url });
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('tokens');
  });
});
