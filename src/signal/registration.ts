// Registering a phone number as a new primary account, through libsignal's registration service:
// a verification session (captcha when Signal asks for one), a code by SMS or voice, then the
// account with its ACI and PNI keys. The session id outlives the process: `register` asks for the
// code, `verify` (another run) submits it.
import { randomBytes } from 'node:crypto';
import { PrivateKey } from '@signalapp/libsignal-client';
import { AccountEntropyPool, SvrKey } from '@signalapp/libsignal-client/dist/AccountKeys.js';
import { ErrorCode, LibSignalErrorBase } from '@signalapp/libsignal-client/dist/Errors.js';
import { AccountAttributes, type Net, type RegistrationService } from '@signalapp/libsignal-client/dist/net.js';
import { ProfileKey } from '@signalapp/libsignal-client/zkgroup.js';
import { newDevicePassword, newIdentityKeys, type AccountCredentials } from './accountCredentials.js';

export type VerificationTransport = 'sms' | 'voice';

/** Where signal-cli users already solve captchas; the page hands back a signalcaptcha:// link. */
export const CAPTCHA_URL = 'https://signalcaptchas.org/registration/generate.html';

export type RegistrationFailure =
  | 'already-registered'
  | 'captcha-required'
  | 'push-challenge-required'
  | 'session-expired'
  | 'wrong-code'
  | 'rate-limited'
  | 'code-not-deliverable'
  | 'registration-lock'
  | 'rejected';

/** A registration step that failed for a reason the user can act on; the message says how. */
export class RegistrationError extends Error {
  constructor(
    readonly failure: RegistrationFailure,
    message: string,
  ) {
    super(message);
    this.name = 'RegistrationError';
  }
}

export interface CodeRequest {
  e164: string;
  transport: VerificationTransport;
  /** A captcha token, with or without the `signalcaptcha://` prefix. */
  captcha?: string;
  /** A session from an earlier `register` run (e.g. the one that asked for the captcha). */
  sessionId?: string;
}

export interface CodeSent {
  sessionId: string;
  /** Seconds until another code may be requested this way, when the server says. */
  nextRequestSecs: number | undefined;
}

/** The token Signal wants: the captcha page's link minus its `signalcaptcha://` scheme. */
export function normalizeCaptcha(token: string): string {
  return token.trim().replace(/^signalcaptcha:\/\//i, '');
}

/**
 * Starts (or resumes) a verification session and asks Signal to send a code. When Signal wants a
 * captcha first, fails with `captcha-required` and the session id, so that the next run with
 * `--captcha` continues the same session.
 */
export async function requestVerificationCode(net: Net, request: CodeRequest, onSession: (sessionId: string) => void): Promise<CodeSent> {
  const session = await openSession(net, request.e164, request.sessionId);
  onSession(session.sessionId);
  try {
    if (request.captcha) await session.submitCaptcha(normalizeCaptcha(request.captcha));
    const state = session.sessionState;
    if (!state.allowedToRequestCode) {
      if (state.requestedInformation.has('captcha')) {
        throw new RegistrationError(
          'captcha-required',
          request.captcha
            ? 'Signal did not accept the captcha (they expire after a minute or two): solve a new one'
            : `Signal asks for a captcha first. Solve one at ${CAPTCHA_URL}, copy the "Open Signal" link (signalcaptcha://…), and run register again with --captcha LINK`,
        );
      }
      throw new RegistrationError('push-challenge-required', 'Signal asks for a push challenge, which only the phone apps can answer; try again with --captcha');
    }
    await session.requestVerification({ transport: request.transport, client: 'android', languages: [] });
    const next = session.sessionState;
    return { sessionId: session.sessionId, nextRequestSecs: request.transport === 'voice' ? next.nextCallSecs : next.nextSmsSecs };
  } catch (err) {
    throw asRegistrationError(err);
  }
}

/** Submits the code and, once the session is verified, creates the account with fresh keys. */
export async function registerWithCode(net: Net, e164: string, sessionId: string, code: string): Promise<AccountCredentials> {
  const session = await openSession(net, e164, sessionId, { mustExist: true });
  try {
    const verified = session.sessionState.verified || (await session.verifySession(code.replace(/[\s-]/g, '')));
    if (!verified) throw new RegistrationError('wrong-code', 'that code is not right: check it (the newest SMS or call counts) and run verify again');

    const aciKeys = newIdentityKeys(PrivateKey.generate());
    const pniKeys = newIdentityKeys(PrivateKey.generate());
    const password = newDevicePassword();
    const profileKey = new Uint8Array(randomBytes(32));
    const accountEntropyPool = AccountEntropyPool.generate();
    const masterKey = AccountEntropyPool.deriveSvrKey(accountEntropyPool);
    const response = await session.registerAccount({
      accountPassword: password,
      skipDeviceTransfer: true,
      accountAttributes: new AccountAttributes({
        recoveryPassword: new SvrKey(masterKey).deriveRegistrationRecoveryPassword(),
        aciRegistrationId: aciKeys.registrationId,
        pniRegistrationId: pniKeys.registrationId,
        registrationLock: null,
        unidentifiedAccessKey: new ProfileKey(profileKey).deriveAccessKey(),
        unrestrictedUnidentifiedAccess: false,
        capabilities: new Set(['attachmentBackfill', 'spqr', 'usernameChangeSyncMessage']),
        discoverableByPhoneNumber: true,
      }),
      aciPublicKey: aciKeys.identityKey.getPublicKey(),
      aciSignedPreKey: aciKeys.signedPreKey,
      aciPqLastResortPreKey: aciKeys.kyberLastResort,
      pniPublicKey: pniKeys.identityKey.getPublicKey(),
      pniSignedPreKey: pniKeys.signedPreKey,
      pniPqLastResortPreKey: pniKeys.kyberLastResort,
    });
    const pni = response.pni;
    if (!pni) throw new Error('the server registered the number without a PNI');
    return {
      aci: response.aci.getRawUuid(),
      pni: pni.getRawUuid(),
      number: response.number ?? e164,
      deviceId: 1,
      password,
      profileKey,
      masterKey,
      accountEntropyPool,
      aciKeys,
      pniKeys,
    };
  } catch (err) {
    throw asRegistrationError(err);
  }
}

async function openSession(net: Net, e164: string, sessionId: string | undefined, options: { mustExist?: boolean } = {}): Promise<RegistrationService> {
  try {
    if (sessionId) {
      try {
        return await net.resumeRegistrationSession({ sessionId, e164 });
      } catch (err) {
        if (options.mustExist || !isSessionGone(err)) throw err;
      }
    }
    if (options.mustExist) throw new RegistrationError('session-expired', 'no verification is in progress for this number: run register first');
    return await net.createRegistrationSession({ e164 });
  } catch (err) {
    throw asRegistrationError(err);
  }
}

function isSessionGone(err: unknown): boolean {
  return err instanceof LibSignalErrorBase && (err.code === ErrorCode.RegistrationSessionNotFound || err.code === ErrorCode.RegistrationSessionIdInvalid);
}

/** libsignal's registration errors, as messages that say what to do next. */
function asRegistrationError(err: unknown): Error {
  if (!(err instanceof LibSignalErrorBase)) return err instanceof Error ? err : new Error(String(err));
  const e = err as LibSignalErrorBase & { retryAfterSecs?: number; timeRemainingSeconds?: number; reason?: string; permanentFailure?: boolean };
  switch (err.code) {
    case ErrorCode.RegistrationSessionNotFound:
    case ErrorCode.RegistrationSessionIdInvalid:
    case ErrorCode.RegistrationInvalidSession:
      return new RegistrationError('session-expired', 'the verification session expired or is unknown to Signal: run register again for a new code');
    case ErrorCode.RateLimitedError:
      return new RegistrationError('rate-limited', `Signal is rate limiting this number: wait ${formatWait(e.retryAfterSecs)} and try again`);
    case ErrorCode.RegistrationVerificationCodeNotDeliverable:
      return new RegistrationError(
        'code-not-deliverable',
        `Signal could not deliver the code${e.reason ? ` (${e.reason})` : ''}${e.permanentFailure ? '; try --voice' : '; try again later or with --voice'}`,
      );
    case ErrorCode.RegistrationVerificationSendFailed:
      return new RegistrationError('code-not-deliverable', 'Signal failed to send the code: try again later or with --voice');
    case ErrorCode.RegistrationSessionNotReadyForVerification:
      return new RegistrationError('session-expired', 'no code was requested in this session: run register first');
    case ErrorCode.RegistrationLock:
      return new RegistrationError(
        'registration-lock',
        `this number has a registration lock (a Signal PIN)${e.timeRemainingSeconds ? ` for ${formatWait(e.timeRemainingSeconds)} more` : ''}; sigsock cannot unlock it with a PIN yet: turn the lock off on the phone that holds the number, or wait until it expires`,
      );
    case ErrorCode.RegistrationRequestRejected:
    case ErrorCode.RegisterAccountRequestRejected:
    case ErrorCode.RegistrationRequestInvalid:
      return new RegistrationError('rejected', `Signal rejected the registration: ${err.message}`);
    default:
      return fromUnexpectedStatus(err) ?? err;
  }
}

/**
 * libsignal reports a status it has no error type for (a 429 without Retry-After, a 5xx) only as
 * generic text; the status is the one thing in it a person can act on.
 */
function fromUnexpectedStatus(err: LibSignalErrorBase): RegistrationError | undefined {
  const status = Number(/unexpected response status (\d{3})/.exec(err.message)?.[1]);
  if (status === 429) return new RegistrationError('rate-limited', 'Signal is rate limiting this number: wait a while (it did not say how long) and try again');
  if (status >= 500 && status < 600) return new RegistrationError('rejected', `Signal's server failed (HTTP ${status}): try again later`);
  return undefined;
}

function formatWait(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return 'a while';
  if (seconds < 120) return `${Math.ceil(seconds)} s`;
  if (seconds < 2 * 3600) return `${Math.ceil(seconds / 60)} min`;
  if (seconds < 2 * 86400) return `${Math.ceil(seconds / 3600)} h`;
  return `${Math.ceil(seconds / 86400)} days`;
}
