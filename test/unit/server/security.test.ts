import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, isAllowedExternalUrl, isAllowedHost, isAllowedOrigin, isTrustedSenderUrl, safeAssetPath, secureWebPreferences } from '../../../electron/security';

describe('desktop shell security policy', () => {
  it('isolates and sandboxes every window', () => {
    expect(secureWebPreferences('/p.cjs')).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false });
  });

  it('trusts IPC only from the app:// origin', () => {
    expect(isTrustedSenderUrl('app://workbench/index.html')).toBe(true);
    for (const url of ['file:///etc/index.html', 'https://workbench/', 'app://evil/index.html', 'http://127.0.0.1/', '', undefined, 'not a url']) {
      expect(isTrustedSenderUrl(url)).toBe(false);
    }
  });

  it('maps asset paths inside the bundle only', () => {
    expect(safeAssetPath('/')).toBe('index.html');
    expect(safeAssetPath('/assets/a.js')).toBe('assets/a.js');
    for (const p of ['/../x', '/a/../../x', '/%2e%2e/x', '/a%00b', '/..%5cx', '/%E0%A4%A']) expect(safeAssetPath(p)).toBeNull();
  });

  it('accepts only its own loopback Host and Origin', () => {
    expect(isAllowedHost('127.0.0.1:5183', 5183)).toBe(true);
    expect(isAllowedHost('localhost:5183', 5183)).toBe(true);
    expect(isAllowedHost('127.0.0.1:5184', 5183)).toBe(false);
    expect(isAllowedHost('evil.example', 5183)).toBe(false);
    expect(isAllowedHost(undefined, 5183)).toBe(false);
    expect(isAllowedOrigin('http://127.0.0.1:5183', 5183)).toBe(true);
    expect(isAllowedOrigin('http://evil.example', 5183)).toBe(false);
    expect(isAllowedOrigin('null', 5183)).toBe(false);
  });

  it('has a CSP without unsafe scripts', () => {
    const csp = contentSecurityPolicy();
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    expect(csp).toContain("object-src 'none'");
  });

  it('opens only the allow-listed pages in the system browser', () => {
    for (const url of ['https://arxiv.org/abs/2501.17161', 'https://github.com/LeslieTrue/SFTvsRL', 'https://github.com/LeslieTrue/SFTvsRL/blob/main/README.md']) {
      expect(isAllowedExternalUrl(url)).toBe(true);
    }
    for (const url of [
      'https://evil.example/', 'https://github.com/LeslieTrue/SFTvsRL-evil', 'https://github.com/other/repo', 'http://arxiv.org/abs/2501.17161',
      'https://arxiv.org.evil.example/abs/2501.17161', 'https://user@github.com/LeslieTrue/SFTvsRL', 'https://github.com:8443/LeslieTrue/SFTvsRL',
      'file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'not a url',
    ]) {
      expect(isAllowedExternalUrl(url), url).toBe(false);
    }
  });

  it('packages the desktop app with Electron fuses locked down', () => {
    const yml = fs.readFileSync('electron-builder.yml', 'utf8');
    const block = /^electronFuses:\n((?:  .*\n)+)/m.exec(yml)?.[1] ?? '';
    const fuses = Object.fromEntries(block.trim().split('\n').map((l) => l.trim().split(/:\s*/)));
    expect(fuses).toEqual({
      runAsNode: 'false', enableCookieEncryption: 'true', enableNodeOptionsEnvironmentVariable: 'false', enableNodeCliInspectArguments: 'false',
      enableEmbeddedAsarIntegrityValidation: 'true', onlyLoadAppFromAsar: 'true', grantFileProtocolExtraPrivileges: 'false',
    });
  });
});
