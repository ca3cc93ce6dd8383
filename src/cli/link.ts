import qrcode from 'qrcode-terminal';
import { CommandArguments, link } from '../messenger/commands/index.js';
import { environmentOf, parseArguments, untilSignal } from './accountSetup.js';
import type { Command } from './command.js';

export const linkCommand: Command = {
  name: 'link',
  summary: 'link sigsock to your Signal account as a new device (scan the QR code with your phone)',
  usage: 'link [--name NAME] [--timeout SEC]',
  details: [
    'Prints a sgnl://linkdevice URI (and a QR code of it when stdout is a terminal). On the phone:',
    'Signal → Settings → Linked devices → Link new device, then scan it. When linking is done the',
    "account's number is printed; use it with -a for every other command.",
  ].join('\n'),
  options: {
    name: { type: 'string', short: 'n', valueName: 'NAME', description: 'device name shown on the phone (default "sigsock")' },
    timeout: { type: 'string', valueName: 'SEC', description: 'give up after this many seconds (default 300)' },
  },
  async run(ctx) {
    const timeoutSec = Number(ctx.values.timeout ?? 300);
    if (!Number.isFinite(timeoutSec) || timeoutSec <= 0) throw new Error('--timeout must be a positive number of seconds');
    const params = parseArguments(link, new CommandArguments({ name: ctx.values.name }, { name: '--name' }));
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(new Error(`linking timed out after ${timeoutSec} s`)), timeoutSec * 1000);
    const signals = untilSignal();
    void signals.promise.then(() => abort.abort(new Error('linking cancelled')));
    const env = environmentOf(ctx);
    const serverConfig = env.serverConfig;
    try {
      const linked = await link.run(env, params, {
        signal: abort.signal,
        onLinkUri: (uri) => {
          ctx.stdout.write(`${uri}\n`);
          if ((ctx.stdout as NodeJS.WriteStream).isTTY) qrcode.generate(uri, { small: true }, (qr) => ctx.stdout.write(`${qr}\n`));
          if (serverConfig.sandboxLinkUrl) {
            // A sandbox network has a phone of its own that "scans" the URI for us.
            void fetch(serverConfig.sandboxLinkUrl, { method: 'POST', body: uri }).catch((err: unknown) =>
              ctx.stderr.write(`sigsock: the sandbox did not take the link request: ${err instanceof Error ? err.message : String(err)}\n`),
            );
          } else {
            ctx.stderr.write('Scan this with Signal on your phone: Settings → Linked devices → Link new device.\n');
          }
        },
      });
      ctx.stdout.write(`Linked: ${linked.number}\n`);
      return 0;
    } catch (err) {
      if (abort.signal.aborted) {
        ctx.stderr.write(`sigsock: ${(abort.signal.reason as Error).message}\n`);
        return 1;
      }
      throw err;
    } finally {
      clearTimeout(timer);
      signals.dispose();
    }
  },
};
