/** The security headers of the two kinds of answer: data (JSON, images) and HTML pages. */
export interface SecurityHeaders {
  /**
   * Every answer that is not an HTML page: OWASP's set for API responses (REST Security
   * Cheat Sheet), as GitHub's API sends it. Nothing in a JSON body or an image may load
   * anything or be framed, so the policy forbids everything; the headers that only steer
   * how a browser renders a page (helmet's DNS prefetch, IE download, Flash and opener
   * headers) are left off. Cache-Control is set per path (app.setup.ts).
   */
  data: Readonly<Record<string, string>>;
  /**
   * HTML pages (the console, the pairing page, the Swagger UI): helmet's defaults with a
   * policy for the console's built files only, so no inline script.
   */
  page: Readonly<Record<string, string>>;
}

/**
 * Computed once at start; app.setup.ts sets them in one hook per answer (helmet's middleware
 * chain set them one by one on every request).
 *
 * Upgrading requests to https and HSTS only make sense when the service is reached over
 * https: on a plain-http LAN address the browser would rewrite the console's own fetch calls
 * to https and break it.
 */
export function securityHeaders(publicUrl: string): SecurityHeaders {
  const https = publicUrl.startsWith('https://');
  const hsts: Record<string, string> = https
    ? { 'strict-transport-security': 'max-age=31536000; includeSubDomains' }
    : {};
  const pagePolicy = [
    "default-src 'self'",
    "base-uri 'self'",
    "font-src 'self' https: data:",
    "form-action 'self'",
    "frame-ancestors 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "script-src 'self'",
    "script-src-attr 'none'",
    "style-src 'self' 'unsafe-inline'",
    ...(https ? ['upgrade-insecure-requests'] : []),
  ];
  const data = {
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    'cross-origin-resource-policy': 'same-origin',
    'referrer-policy': 'no-referrer',
    ...hsts,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
  };
  return {
    data,
    // The data set, with a page's own policy and framing, and the page-only headers.
    page: {
      ...data,
      'content-security-policy': pagePolicy.join(';'),
      'x-frame-options': 'SAMEORIGIN',
      'cross-origin-opener-policy': 'same-origin',
      'origin-agent-cluster': '?1',
      'x-dns-prefetch-control': 'off',
      'x-download-options': 'noopen',
      'x-permitted-cross-domain-policies': 'none',
      'x-xss-protection': '0',
    },
  };
}

/** Whether an answer with this Content-Type is an HTML page (and gets the page headers). */
export function isHtml(contentType: unknown): boolean {
  return typeof contentType === 'string' && contentType.startsWith('text/html');
}
