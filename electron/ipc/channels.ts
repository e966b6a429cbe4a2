// The command and event names as plain data, without zod: the sandboxed preload bundles this file and must stay
// small. The checks below make the compiler fail when a name is missing here or is not in the contract.
import type {
  CommandName,
  EventName,
  IPC_COMMAND_PREFIX as CONTRACT_COMMAND_PREFIX,
  IPC_EVENT_PREFIX as CONTRACT_EVENT_PREFIX,
} from './contract';

export const commandNames = [
  'snapshot.get',
  'snapshot.apps',
  'snapshot.activity',
  'snapshot.rules',
  'apps.decide',
  'rules.create',
  'rules.update',
  'rules.remove',
  'rules.export',
  'rules.uploadImport',
  'rules.previewImport',
  'rules.import',
  'decisions.resolve',
  'learning.commit',
  'learning.discard',
  'mode.set',
  'mode.preview',
  'history.list',
  'history.undo',
  'settings.update',
  'notifications.pause',
  'activity.export',
  'app.reset',
  'notices.dismiss',
  'apps.endpoints',
  'apps.icon',
  'autostart.get',
  'autostart.set',
  'inbox.open',
] as const satisfies readonly CommandName[];

export const eventNames = ['delta', 'openDecision', 'notify', 'previewMode'] as const satisfies readonly EventName[];

type Exhaustive<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : false;
const everyCommandListed: Exhaustive<CommandName, (typeof commandNames)[number]> = true;
const everyEventListed: Exhaustive<EventName, (typeof eventNames)[number]> = true;
void everyCommandListed;
void everyEventListed;

export const commandChannelPrefix: typeof CONTRACT_COMMAND_PREFIX = 'portcullis:cmd:';
export const eventChannelPrefix: typeof CONTRACT_EVENT_PREFIX = 'portcullis:evt:';
