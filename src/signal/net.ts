// One libsignal `Net` per process, configured for the chosen Signal environment.
import { Environment, Net } from '@signalapp/libsignal-client/dist/net.js';
import type { ServerConfig } from './serverConfig.js';

export const USER_AGENT = 'sigsock/0.1';

// Ports for services the local (mock) server does not run; nothing listens on the discard port.
const UNUSED_LOCAL_PORT = 9;

export function createNet(config: ServerConfig): Net {
  if (config.kind === 'production') return new Net({ env: Environment.Production, userAgent: USER_AGENT });
  if (config.kind === 'staging') return new Net({ env: Environment.Staging, userAgent: USER_AGENT });
  if (!config.rootCertificateDer) throw new Error(`server config ${config.name}: a root certificate is required`);
  return new Net({
    localTestServer: true,
    userAgent: USER_AGENT,
    TESTING_localServer_chatPort: config.chatPort,
    TESTING_localServer_cdsiPort: UNUSED_LOCAL_PORT,
    TESTING_localServer_svr2Port: UNUSED_LOCAL_PORT,
    TESTING_localServer_svrBPort: UNUSED_LOCAL_PORT,
    TESTING_localServer_rootCertificateDer: new Uint8Array(config.rootCertificateDer),
    // The mock (and any server built like it) serves WebSockets only over HTTP/2 extended CONNECT.
    TESTING_localServer_httpVersion: config.httpVersion ?? 2,
  });
}
