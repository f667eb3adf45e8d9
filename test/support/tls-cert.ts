import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SelfSigned {
  /** The folder holding cert.pem and key.pem; `remove()` deletes it. */
  dir: string;
  certPath: string;
  keyPath: string;
  /** The certificate, PEM: also the CA a client trusts, being self-signed. */
  cert: string;
  remove(): void;
}

/**
 * A self-signed P-256 certificate for 127.0.0.1 and localhost, valid from now for a day, made with
 * `openssl req -x509` into a fresh temp folder (the key unencrypted, as FIREBREAK_TLS_KEY wants it).
 */
export function selfSignedCert(commonName = '127.0.0.1'): SelfSigned {
  const dir = mkdtempSync(join(tmpdir(), 'firebreak-tls-'));
  const certPath = join(dir, 'cert.pem');
  const keyPath = join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', keyPath, '-out', certPath, '-days', '1',
      '-subj', `/CN=${commonName}`,
      '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], timeout: 20_000 },
  );
  return { dir, certPath, keyPath, cert: readFileSync(certPath, 'utf8'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}
