/**
 * Security policy shared by the desktop shell and browser mode, as pure functions so they are
 * unit-tested without the Electron binary (Electron's security checklist; DESIGN §7).
 */

/** The custom scheme the renderer is served from in the desktop app (never `file://`). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'workbench';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** Strict CSP: only our own scripts; inline styles are needed by plotly's generated SVG. */
export function contentSecurityPolicy(extraConnectSrc: string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src ${["'self'", ...extraConnectSrc].join(' ')}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** webPreferences of every window: isolated, sandboxed, no Node in the page. */
export function secureWebPreferences(preloadPath: string) {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
  } as const;
}

/**
 * The pages outside the app it may open in the system browser: the paper and the reference code.
 * A page that asks for anything else (a link in untrusted run data, a compromised renderer) is refused.
 */
export const EXTERNAL_LINKS = ['https://arxiv.org/abs/2501.17161', 'https://github.com/LeslieTrue/SFTvsRL'] as const;

export function isAllowedExternalUrl(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol !== 'https:' || u.username !== '' || u.password !== '' || u.port !== '') return false;
  return EXTERNAL_LINKS.some((link) => {
    const allowed = new URL(link);
    return u.host === allowed.host && (u.pathname === allowed.pathname || u.pathname.startsWith(`${allowed.pathname}/`));
  });
}

/** An IPC message is trusted only when it comes from our own page in the top frame. */
export function isTrustedSenderUrl(url: string | undefined | null): boolean {
  if (!url) return false;
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

/**
 * Maps a URL path of the renderer bundle to a relative file path, or null when it tries to
 * escape the bundle folder (`..`, encoded separators, NUL).
 */
export function safeAssetPath(urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const parts = decoded.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.some((p) => p === '..')) return null;
  return parts.length === 0 ? 'index.html' : parts.join('/');
}

/** Hosts browser mode answers to: its own loopback address, nothing else (DNS rebinding). */
export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

export function isAllowedHost(host: string | undefined, port: number): boolean {
  return host !== undefined && allowedHosts(port).includes(host.toLowerCase());
}

/** A browser's Origin must be our own page; a missing Origin (non-browser client) is left to the token. */
export function isAllowedOrigin(origin: string | undefined, port: number): boolean {
  if (origin === undefined) return true;
  return allowedHosts(port).some((h) => origin.toLowerCase() === `http://${h}`);
}
