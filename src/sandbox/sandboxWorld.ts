// The sandbox's little world on a mock network: a phone (the account sigsock links to), the
// scripted contacts Echo and Greeter, and the "Sandbox group" with all of them.
import { GroupMasterKey, GroupSecretParams } from '@signalapp/libsignal-client/zkgroup.js';
import type { Group } from '@signalapp/mock-server';
import type { Log } from '../util/log.js';
import { startMockNetwork, type MockDevice, type MockNetwork, type MockPrimaryDevice } from './mockNetwork.js';
import { greet, runEcho } from './scriptedContacts.js';

export const SANDBOX_GROUP_TITLE = 'Sandbox group';
export const GREETING = 'Hello from Greeter! Write to Echo and it writes back.';
export const GROUP_GREETING = 'Hello, Sandbox group!';

export interface SandboxContact {
  name: string;
  number: string;
  uuid: string;
}

export interface SandboxWorld {
  network: MockNetwork;
  phone: MockPrimaryDevice;
  contacts: SandboxContact[];
  group: { name: string; groupId: string };
  /** Waits for the next link from a client and answers it as the phone scanning the QR code. */
  expectLink(): (provisionUrl: string) => Promise<MockDevice>;
  /** Once a client linked: Greeter says hello, 1:1 and in the group. */
  welcome(device: MockDevice): Promise<void>;
  close(): Promise<void>;
}

export async function startSandboxWorld(options: { port?: number; stateDir?: string; log: Log }): Promise<SandboxWorld> {
  const network = await startMockNetwork({ port: options.port, stateDir: options.stateDir });
  try {
    const echo = await network.createContact('Echo');
    const greeter = await network.createContact('Greeter');
    const phone = await network.createPhone('Sandbox phone', { contacts: [echo, greeter] });
    const group: Group = await phone.createGroup({ title: SANDBOX_GROUP_TITLE, members: [phone, echo, greeter] });
    const echoLoop = runEcho({ echo, group, log: options.log });
    const contacts = [echo, greeter].map((c) => ({ name: c.profileName, number: c.device.number!, uuid: c.device.aci }));
    return {
      network,
      phone,
      contacts,
      group: { name: SANDBOX_GROUP_TITLE, groupId: groupIdOf(group) },
      expectLink: () => network.expectLink(phone),
      async welcome(device) {
        await network.introduce(greeter, device);
        await greet(greeter, device, GREETING);
        await greet(greeter, device, GROUP_GREETING, group);
      },
      async close() {
        echoLoop.stop();
        await network.close();
      },
    };
  } catch (err) {
    await network.close();
    throw err;
  }
}

function groupIdOf(group: Group): string {
  const params = GroupSecretParams.deriveFromMasterKey(new GroupMasterKey(new Uint8Array(group.masterKey)));
  return Buffer.from(params.getPublicParams().getGroupIdentifier().serialize()).toString('base64');
}
