// Which Signal service to talk to: production, staging, or a local server described by a file
// (libsignal Net's localTestServer mode, used with the mock server of the sandbox and tests).
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

export type ServerKind = 'production' | 'staging' | 'local';

export interface ServerConfig {
  /** 'production', 'staging', or the server file's `name`. */
  name: string;
  kind: ServerKind;
  /**
   * Where the chat service listens. For 'local' only a name of this machine: libsignal's
   * local-server mode always dials localhost (production and staging hosts are libsignal's).
   */
  chatHost: string;
  chatPort: number;
  /** 'local': the TLS root to trust (DER). Production and staging use libsignal's pinned roots. */
  rootCertificateDer?: Uint8Array;
  /** 'local': the HTTP version for the chat WebSocket; the mock serves it over HTTP/2 only. */
  httpVersion?: 1 | 2;
  /** Sealed-sender certificate trust root public key (33 bytes, 0x05 prefix). */
  serverTrustRoot: Uint8Array;
  /**
   * Every trust root a sender certificate may chain to, `serverTrustRoot` first. Signal has
   * rotated its root and signs with either, so receivers should use
   * `SenderCertificate.validateWithTrustRoots` with all of them.
   */
  serverTrustRoots: Uint8Array[];
  zkgroupServerPublicParams: Uint8Array;
  /** CDN number ('0', '2', '3') → base URL; downloads are `${base}/attachments/${key}`. */
  cdnUrls: Record<string, string>;
  /** Base for /v1/storage and /v2/groups (the mock mounts them under /storageService). */
  storageUrl: string;
  /**
   * 'local' sandbox only: where `sigsock link` POSTs its sgnl://linkdevice URI so that the sandbox
   * phone "scans" it. Plain http is accepted only on a loopback host.
   */
  sandboxLinkUrl?: string;
  /**
   * 'local' only: 'sandbox' when the server answers contact discovery on the sandbox's directory
   * route (contactDiscovery.ts); absent: it has none. Production and staging use CDSI.
   */
  contactDiscovery?: 'sandbox';
}

/** Contact discovery (CDSI) runs in an enclave only Signal's servers have; a local server has none unless it is a sandbox. */
export function offersContactDiscovery(config: ServerConfig): boolean {
  return config.kind !== 'local' || config.contactDiscovery === 'sandbox';
}

/** How this server is asked: CDSI, or the sandbox's directory route. */
export function contactDiscoveryProtocol(config: ServerConfig): 'cdsi' | 'sandbox' {
  return config.kind === 'local' && config.contactDiscovery === 'sandbox' ? 'sandbox' : 'cdsi';
}

/** The user name a newly linked device registers with: the mock server takes the ACI, Signal's servers the number. */
export function linkUsernameOf(config: ServerConfig): 'aci' | 'number' {
  return config.kind === 'local' ? 'aci' : 'number';
}

// Public constants, as published by Signal's clients (Signal-Desktop config/production.json,
// Signal-Android build.gradle.kts, signal-cli LiveConfig/StagingConfig).
const PRODUCTION_TRUST_ROOTS = [
  'BXu6QIKVz5MA8gstzfOgRQGqyLqOwNKHL6INkv3IHWMF',
  'BUkY0I+9+oPgDCn4+Ac6Iu813yvqkDr/ga8DzLxFxuk6',
];
const PRODUCTION_ZKGROUP_PARAMS =
  'AMhf5ywVwITZMsff/eCyudZx9JDmkkkbV6PInzG4p8x3VqVJSFiMvnvlEKWuRob/1eaIetR31IYeAbm0NdOuHH8Qi+Rexi1wLlpzIo1gstHWBfZzy1+qHRV5A4TqPp15YzBPm0WSggW6PbSn+F4lf57VCnHF7p8SvzAA2ZZJPYJURt8X7bbg+H3i+PEjH9DXItNEqs2sNcug37xZQDLm7X36nOoGPs54XsEGzPdEV+itQNGUFEjY6X9Uv+Acuks7NpyGvCoKxGwgKgE5XyJ+nNKlyHHOLb6N1NuHyBrZrgtY/JYJHRooo5CEqYKBqdFnmbTVGEkCvJKxLnjwKWf+fEPoWeQFj5ObDjcKMZf2Jm2Ae69x+ikU5gBXsRmoF94GXTLfN0/vLt98KDPnxwAQL9j5V1jGOY8jQl6MLxEs56cwXN0dqCnImzVH3TZT1cJ8SW1BRX6qIVxEzjsSGx3yxF3suAilPMqGRp4ffyopjMD1JXiKR2RwLKzizUe5e8XyGOy9fplzhw3jVzTRyUZTRSZKkMLWcQ/gv0E4aONNqs4P+NameAZYOD12qRkxosQQP5uux6B2nRyZ7sAV54DgFyLiRcq1FvwKw2EPQdk4HDoePrO/RNUbyNddnM/mMgj4FW65xCoT1LmjrIjsv/Ggdlx46ueczhMgtBunx1/w8k8V+l8LVZ8gAT6wkU5J+DPQalQguMg12Jzug3q4TbdHiGCmD9EunCwOmsLuLJkz6EcSYXtrlDEnAM+hicw7iergYLLlMXpfTdGxJCWJmP4zqUFeTTmsmhsjGBt7NiEB/9pFFEB3pSbf4iiUukw63Eo8Aqnf4iwob6X1QviCWuc8t0LUlT9vALgh/f2DPVOOmR0RW6bgRvc7DSF20V/omg+YBw==';

const STAGING_TRUST_ROOTS = [
  'BbqY1DzohE4NUZoVF+L18oUPrK3kILllLEJh2UnPSsEx',
  'BYhU6tPjqP46KGZEzRs1OL4U39V5dlPJ/X09ha4rErkm',
];
const STAGING_ZKGROUP_PARAMS =
  'ABSY21VckQcbSXVNCGRYJcfWHiAMZmpTtTELcDmxgdFbtp/bWsSxZdMKzfCp8rvIs8ocCU3B37fT3r4Mi5qAemeGeR2X+/YmOGR5ofui7tD5mDQfstAI9i+4WpMtIe8KC3wU5w3Inq3uNWVmoGtpKndsNfwJrCg0Hd9zmObhypUnSkfYn2ooMOOnBpfdanRtrvetZUayDMSC5iSRcXKpdlukrpzzsCIvEwjwQlJYVPOQPj4V0F4UXXBdHSLK05uoPBCQG8G9rYIGedYsClJXnbrgGYG3eMTG5hnx4X4ntARBgELuMWWUEEfSK0mjXg+/2lPmWcTZWR9nkqgQQP0tbzuiPm74H2wMO4u1Wafe+UwyIlIT9L7KLS19Aw8r4sPrXZSSsOZ6s7M1+rTJN0bI5CKY2PX29y5Ok3jSWufIKcgKOnWoP67d5b2du2ZVJjpjfibNIHbT/cegy/sBLoFwtHogVYUewANUAXIaMPyCLRArsKhfJ5wBtTminG/PAvuBdJ70Z/bXVPf8TVsR292zQ65xwvWTejROW6AZX6aqucUjlENAErBme1YHmOSpU6tr6doJ66dPzVAWIanmO/5mgjNEDeK7DDqQdB1xd03HT2Qs2TxY3kCK8aAb/0iM0HQiXjxZ9HIgYhbtvGEnDKW5ILSUydqH/KBhW4Pb0jZWnqN/YgbWDKeJxnDbYcUob5ZY5Lt5ZCMKuaGUvCJRrCtuugSMaqjowCGRempsDdJEt+cMaalhZ6gczklJB/IbdwENW9KeVFPoFNFzhxWUIS5ML9riVYhAtE6JE5jX0xiHNVIIPthb458cfA8daR0nYfYAUKogQArm0iBezOO+mPk5vCNWI+wwkyFCqNDXz/qxl1gAntuCJtSfq9OC3NkdhQlgYQ==';

const HTTPS_PORT = 443;

function fromBase64(b64: string): Uint8Array {
  return new Uint8Array(Buffer.from(b64, 'base64'));
}

function productionConfig(): ServerConfig {
  const roots = PRODUCTION_TRUST_ROOTS.map(fromBase64);
  return {
    name: 'production',
    kind: 'production',
    chatHost: 'chat.signal.org',
    chatPort: HTTPS_PORT,
    serverTrustRoot: roots[0]!,
    serverTrustRoots: roots,
    zkgroupServerPublicParams: fromBase64(PRODUCTION_ZKGROUP_PARAMS),
    cdnUrls: { '0': 'https://cdn.signal.org', '2': 'https://cdn2.signal.org', '3': 'https://cdn3.signal.org' },
    storageUrl: 'https://storage.signal.org',
  };
}

function stagingConfig(): ServerConfig {
  const roots = STAGING_TRUST_ROOTS.map(fromBase64);
  return {
    name: 'staging',
    kind: 'staging',
    chatHost: 'chat.staging.signal.org',
    chatPort: HTTPS_PORT,
    serverTrustRoot: roots[0]!,
    serverTrustRoots: roots,
    zkgroupServerPublicParams: fromBase64(STAGING_ZKGROUP_PARAMS),
    cdnUrls: {
      '0': 'https://cdn-staging.signal.org',
      '2': 'https://cdn2-staging.signal.org',
      '3': 'https://cdn3-staging.signal.org',
    },
    storageUrl: 'https://storage-staging.signal.org',
  };
}

/**
 * The server file: a JSON object describing a local (test) Signal server.
 * ```json
 * {
 *   "name": "sandbox",
 *   "chat": { "host": "127.0.0.1", "port": 8443 },
 *   "httpVersion": 2,
 *   "rootCertificatePem": "-----BEGIN CERTIFICATE-----\n...\n-----END CERTIFICATE-----\n",
 *   "serverTrustRoot": "<base64 of the 33-byte public key>",
 *   "serverTrustRoots": ["<base64>", ...],            (optional: further accepted roots)
 *   "zkgroupServerPublicParams": "<base64>",
 *   "cdn": { "0": "https://127.0.0.1:8443", "2": "...", "3": "https://127.0.0.1:8443/cdn3" },
 *   "storageUrl": "https://127.0.0.1:8443/storageService",
 *   "sandboxLinkUrl": "http://127.0.0.1:40123/link",  (optional, see ServerConfig)
 *   "contactDiscovery": "sandbox"                      (optional, see ServerConfig)
 * }
 * ```
 * `name` defaults to the file name. The file may hold no secrets: everything in it is public.
 */
export interface ServerConfigFile {
  name?: string;
  chat: { host: string; port: number };
  httpVersion?: 1 | 2;
  rootCertificatePem: string;
  serverTrustRoot: string;
  serverTrustRoots?: string[];
  zkgroupServerPublicParams: string;
  cdn: Record<string, string>;
  storageUrl: string;
  sandboxLinkUrl?: string;
  contactDiscovery?: 'sandbox';
}

export function loadServerConfig(nameOrFile: string | undefined): ServerConfig {
  if (nameOrFile === undefined || nameOrFile === 'production') return productionConfig();
  if (nameOrFile === 'staging') return stagingConfig();
  let text: string;
  try {
    text = readFileSync(nameOrFile, 'utf8');
  } catch (err) {
    const hint = `use 'production', 'staging' or the path of a server file`;
    throw new Error(`server config ${nameOrFile}: cannot read the file (${(err as Error).message}); ${hint}`, { cause: err });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`server config ${nameOrFile}: not valid JSON (${(err as Error).message})`, { cause: err });
  }
  return parseServerConfigFile(json, nameOrFile);
}

/** Validates a parsed server file; errors name the file and the field. */
export function parseServerConfigFile(json: unknown, source: string): ServerConfig {
  const fail = (field: string, problem: string): never => {
    throw new Error(`server config ${source}: "${field}" ${problem}`);
  };
  if (!isObject(json)) return fail('(top level)', 'must be a JSON object');

  const name = json.name === undefined ? basename(source).replace(/\.json$/, '') : json.name;
  if (typeof name !== 'string' || name === '') fail('name', 'must be a non-empty string');

  const chat = json.chat;
  if (!isObject(chat)) return fail('chat', 'must be an object {"host", "port"}');
  if (typeof chat.host !== 'string' || chat.host === '') fail('chat.host', 'must be a non-empty string');
  // libsignal's local-server mode dials localhost:<chat.port> whatever the file says; accepting
  // another host would silently talk to whatever listens on this machine instead.
  if (!LOCAL_CHAT_HOSTS.has(chat.host as string)) {
    fail('chat.host', `must be this machine (${[...LOCAL_CHAT_HOSTS].join(', ')}): libsignal connects a local server's chat at localhost only; got ${chat.host as string}`);
  }
  if (!isPort(chat.port)) fail('chat.port', 'must be an integer port number (1-65535)');

  const httpVersion = json.httpVersion ?? 2;
  if (httpVersion !== 1 && httpVersion !== 2) fail('httpVersion', 'must be 1 or 2');

  if (typeof json.rootCertificatePem !== 'string') fail('rootCertificatePem', 'is missing (a PEM certificate)');
  let rootCertificateDer: Uint8Array;
  try {
    rootCertificateDer = pemToDer(json.rootCertificatePem as string);
  } catch (err) {
    return fail('rootCertificatePem', (err as Error).message);
  }

  const serverTrustRoot = decodeTrustRoot(json.serverTrustRoot, 'serverTrustRoot', fail);
  const extraRoots = json.serverTrustRoots ?? [];
  if (!Array.isArray(extraRoots)) fail('serverTrustRoots', 'must be an array of base64 strings');
  const serverTrustRoots = [serverTrustRoot];
  (extraRoots as unknown[]).forEach((root, i) => {
    const decoded = decodeTrustRoot(root, `serverTrustRoots[${i}]`, fail);
    if (!serverTrustRoots.some((known) => Buffer.from(known).equals(decoded))) serverTrustRoots.push(decoded);
  });

  const zkgroupServerPublicParams = decodeBase64(json.zkgroupServerPublicParams, 'zkgroupServerPublicParams', fail);

  const cdn = json.cdn;
  if (!isObject(cdn)) return fail('cdn', 'must be an object of CDN number → base URL, e.g. {"0": url, "3": url}');
  const cdnUrls: Record<string, string> = {};
  for (const [number, url] of Object.entries(cdn)) {
    if (!/^\d+$/.test(number)) fail(`cdn.${number}`, 'is not a CDN number');
    cdnUrls[number] = checkHttpsUrl(url, `cdn.${number}`, fail);
  }
  const storageUrl = checkHttpsUrl(json.storageUrl, 'storageUrl', fail);
  const sandboxLinkUrl = json.sandboxLinkUrl === undefined ? undefined : checkLinkUrl(json.sandboxLinkUrl, fail);
  if (json.contactDiscovery !== undefined && json.contactDiscovery !== 'sandbox') fail('contactDiscovery', 'must be "sandbox" (or left out: no contact discovery)');

  return {
    name: name as string,
    kind: 'local',
    chatHost: chat.host as string,
    chatPort: chat.port as number,
    rootCertificateDer,
    httpVersion: httpVersion as 1 | 2,
    serverTrustRoot,
    serverTrustRoots,
    zkgroupServerPublicParams,
    cdnUrls,
    storageUrl,
    ...(sandboxLinkUrl === undefined ? {} : { sandboxLinkUrl }),
    ...(json.contactDiscovery === 'sandbox' ? { contactDiscovery: 'sandbox' as const } : {}),
  };
}

/** The file form of a local server config; the inverse of `parseServerConfigFile`. */
export function serverConfigToFile(config: ServerConfig): ServerConfigFile {
  if (config.kind !== 'local' || !config.rootCertificateDer) {
    throw new Error(`server config ${config.name}: only a local server with a root certificate has a file form`);
  }
  const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
  const extraRoots = config.serverTrustRoots.filter((root) => !Buffer.from(root).equals(config.serverTrustRoot));
  return {
    name: config.name,
    chat: { host: config.chatHost, port: config.chatPort },
    httpVersion: config.httpVersion ?? 2,
    rootCertificatePem: derToPem(config.rootCertificateDer),
    serverTrustRoot: b64(config.serverTrustRoot),
    ...(extraRoots.length > 0 ? { serverTrustRoots: extraRoots.map(b64) } : {}),
    zkgroupServerPublicParams: b64(config.zkgroupServerPublicParams),
    cdn: { ...config.cdnUrls },
    storageUrl: config.storageUrl,
    ...(config.sandboxLinkUrl === undefined ? {} : { sandboxLinkUrl: config.sandboxLinkUrl }),
    ...(config.contactDiscovery === undefined ? {} : { contactDiscovery: config.contactDiscovery }),
  };
}

/** The DER bytes of the first certificate in a PEM text. */
export function pemToDer(pem: string): Uint8Array {
  const match = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/.exec(pem);
  if (!match) throw new Error('is not a PEM certificate (no BEGIN/END CERTIFICATE lines)');
  const body = match[1]!.replace(/\s+/g, '');
  if (body === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(body)) throw new Error('has a PEM certificate whose body is not base64');
  return new Uint8Array(Buffer.from(body, 'base64'));
}

export function derToPem(der: Uint8Array): string {
  const lines = Buffer.from(der).toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

type Fail = (field: string, problem: string) => never;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPort(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 && value < 65536;
}

function decodeBase64(value: unknown, field: string, fail: Fail): Uint8Array {
  if (typeof value !== 'string' || value === '') return fail(field, 'is missing (a base64 string)');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return fail(field, 'is not base64');
  return fromBase64(value);
}

// A serialized Curve25519 public key: the 0x05 type byte and 32 key bytes.
const TRUST_ROOT_LENGTH = 33;
const DJB_KEY_TYPE = 0x05;

function decodeTrustRoot(value: unknown, field: string, fail: Fail): Uint8Array {
  const bytes = decodeBase64(value, field, fail);
  if (bytes.length !== TRUST_ROOT_LENGTH || bytes[0] !== DJB_KEY_TYPE) {
    fail(field, `must be a 33-byte public key starting with 0x05 (got ${bytes.length} bytes)`);
  }
  return bytes;
}

function parseUrl(value: unknown, field: string, fail: Fail): URL {
  if (typeof value !== 'string') return fail(field, 'is missing (an https URL)');
  try {
    return new URL(value);
  } catch {
    return fail(field, `is not a URL: ${value}`);
  }
}

function checkHttpsUrl(value: unknown, field: string, fail: Fail): string {
  const url = parseUrl(value, field, fail);
  if (url.protocol !== 'https:') fail(field, `must be an https URL: ${value as string}`);
  // Callers append paths, so a trailing slash would double it.
  return (value as string).replace(/\/+$/, '');
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
const LOCAL_CHAT_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);

function checkLinkUrl(value: unknown, fail: Fail): string {
  const url = parseUrl(value, 'sandboxLinkUrl', fail);
  const loopbackHttp = url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
  if (url.protocol !== 'https:' && !loopbackHttp) {
    fail('sandboxLinkUrl', `must be an https URL, or http on 127.0.0.1/localhost: ${value as string}`);
  }
  return value as string;
}
