import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface Certificate {
  cert: string;
  key: string;
  /** Whether this call created it (first run). */
  created: boolean;
}

/**
 * A self-signed certificate for localhost (and 127.0.0.1, ::1) under `dir`, made with the
 * openssl CLI on first use and reused afterwards, so a browser exception accepted once
 * keeps working. Valid 825 days, the longest that browsers accept.
 */
export function localCertificate(dir: string): Certificate {
  const cert = path.join(dir, 'localhost.crt');
  const key = path.join(dir, 'localhost.key');
  if (fs.existsSync(cert) && fs.existsSync(key)) return { cert, key, created: false };
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const res = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '825',
      '-subj',
      '/CN=localhost/O=Quad local cluster',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { encoding: 'utf8' },
  );
  if (res.error && (res.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new Error('openssl is not installed (Debian/Ubuntu: apt-get install openssl)');
  }
  if (res.status !== 0) throw new Error(`openssl could not create a certificate:\n${res.stderr}`);
  fs.chmodSync(key, 0o600);
  return { cert, key, created: true };
}
