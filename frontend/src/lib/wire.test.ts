import { describe, expect, expectTypeOf, it } from 'vitest';
import type {
  BackupsBodyStatus, DeliveryBody, DeliveryState, InboxItemKind, ProblemCode, ServerHistoryType, ServicesBodyKind, ServicesBodyRecoveryState,
  ServicesBodyStatus, SeverityName, UiFrame,
} from './wire.generated';
import type { BackupStatus, InboxKind, LiveFrame, RecoveryState, ServerEventType, Severity } from './wire';
import generated from './wire.generated.ts?raw';

// Values the node sends, each typed as its generated union: if the node's records stop producing one, the type check
// fails here. The page once lacked the first two ('held', 'notifier-error') because its types were written by hand.
const held: ServicesBodyRecoveryState = 'held';
const notifierError: InboxItemKind = 'notifier-error';
const gaveUp: ServicesBodyRecoveryState = 'gave-up';
const channelFailing: InboxItemKind = 'channel-failing';
const alertAcknowledged: ServerHistoryType = 'alert-acknowledged';
const autoRestartChanged: ServerHistoryType = 'auto-restart-changed';
const critical: SeverityName = 'critical';
const notConnected: ProblemCode = 'not-connected';
const upstreamFailed: ProblemCode = 'upstream-failed';
const failed: DeliveryState = 'failed';
const reminder: DeliveryBody['kind'] = 'reminder';
const stopped: ServicesBodyStatus = 'stopped';
const processKind: ServicesBodyKind = 'process';
const sessionEnded: UiFrame['type'] = 'session-ended';
const services: UiFrame['type'] = 'services';
const backups: UiFrame['type'] = 'backups';
const backupProgress: UiFrame['type'] = 'backup-progress';
const backupCompleted: ServerHistoryType = 'backup-completed';
const neverRun: BackupsBodyStatus = 'never-run';

/** The members of a string union as the generated file declares it: `export type Name = 'a' | 'b';`. */
function members(union: string): string[] {
  const declaration = new RegExp(`^export type ${union} = ([^;]*);$`, 'm').exec(generated);
  expect(declaration, `${union} is declared in wire.generated.ts`).not.toBeNull();
  return [...declaration![1]!.matchAll(/'([^']*)'/g)].map((match) => match[1]!);
}

/** The union a field of a generated interface is declared as: `kind` of DeliveryBody, whatever the union's name. */
function fieldUnion(owner: string, field: string): string {
  const declaration = new RegExp(`^export interface ${owner} [^{]*\\{\\n(?:  .*\\n)*?  ${field}: (\\w+)`, 'm').exec(generated);
  expect(declaration, `${owner}.${field} is declared in wire.generated.ts`).not.toBeNull();
  return declaration![1]!;
}

/** The `type` tags of a tagged union as the generated file declares it: `| ({ type: 'a' } & A)`. */
function tags(union: string): string[] {
  const declaration = new RegExp(`^export type ${union} =\\n((?:  \\| .*\\n)+)`, 'm').exec(generated);
  expect(declaration, `${union} is declared in wire.generated.ts`).not.toBeNull();
  return [...declaration![1]!.matchAll(/\{ type: '([^']*)' \}/g)].map((match) => match[1]!);
}

describe('the generated wire types', () => {
  it.each([
    ['ServicesBodyRecoveryState', held],
    ['ServicesBodyRecoveryState', gaveUp],
    ['InboxItemKind', notifierError],
    ['InboxItemKind', channelFailing],
    ['ServerHistoryType', alertAcknowledged],
    ['ServerHistoryType', autoRestartChanged],
    ['ServerHistoryType', backupCompleted],
    ['BackupsBodyStatus', neverRun],
    ['SeverityName', critical],
    ['ProblemCode', notConnected],
    ['ProblemCode', upstreamFailed],
    ['DeliveryState', failed],
    [fieldUnion('DeliveryBody', 'kind'), reminder],
    ['ServicesBodyStatus', stopped],
    ['ServicesBodyKind', processKind],
  ])('%s has %s', (union, value) => {
    expect(members(union)).toContain(value);
  });

  it.each([['UiFrame', sessionEnded], ['UiFrame', services], ['UiFrame', backups], ['UiFrame', backupProgress]])('%s has the frame %s', (union, value) => {
    expect(tags(union)).toContain(value);
  });

  it('are what the page calls by its own names', () => {
    expectTypeOf<RecoveryState>().toEqualTypeOf<ServicesBodyRecoveryState>();
    expectTypeOf<InboxKind>().toEqualTypeOf<InboxItemKind>();
    expectTypeOf<ServerEventType>().toEqualTypeOf<ServerHistoryType>();
    expectTypeOf<Severity>().toEqualTypeOf<SeverityName>();
    expectTypeOf<LiveFrame>().toEqualTypeOf<UiFrame>();
    expectTypeOf<BackupStatus>().toEqualTypeOf<BackupsBodyStatus>();
  });
});
