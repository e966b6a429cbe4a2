// The content security policy of every Portcullis page, served as a response header by main and by the e2e
// harness, so the tests run the renderer under the policy it ships with. No remote origin appears anywhere: the
// renderer loads its own bundle and icons as data: URLs, nothing else.
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
].join('; ');
