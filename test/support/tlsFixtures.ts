// TLS test material: a throwaway certificate, and the bytes a real client opens a handshake with.
import { execFileSync } from 'node:child_process';
import { chmodSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { connect } from 'node:tls';

export function selfSignedCertificate(dir: string): { certPath: string; keyPath: string } {
  const certPath = join(dir, 'cert.pem');
  const keyPath = join(dir, 'key.pem');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost'],
    { stdio: 'ignore' },
  );
  chmodSync(keyPath, 0o600);
  return { certPath, keyPath };
}

/** The first bytes a real TLS client sends: its ClientHello, caught by a plain TCP listener. */
export function captureClientHello(): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const catcher = createServer((socket) =>
      socket.once('data', (hello: Buffer) => {
        resolve(hello);
        socket.destroy();
        catcher.close();
      }),
    );
    catcher.listen(0, '127.0.0.1', () => {
      const tlsClient = connect({ port: (catcher.address() as AddressInfo).port, host: '127.0.0.1', servername: 'localhost' });
      tlsClient.on('error', () => {});
    });
    catcher.on('error', reject);
  });
}
