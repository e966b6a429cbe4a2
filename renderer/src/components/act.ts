// Runs a command on behalf of a click and reports its failure in words, so no click fails silently.
import type { CommandArgs, CommandName, CommandResults } from '../../../electron/ipc/contract';
import { invoke } from '../bridge/bridge';
import { useUi } from '../store/ui-store';

export type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

/** For dialogs: the failure comes back to be shown inside the dialog, where the user is looking. */
export async function attemptCommand<C extends CommandName>(
  command: C,
  args: CommandArgs<C>,
): Promise<Outcome<CommandResults[C]>> {
  try {
    return { ok: true, value: await invoke(command, args) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, message: `${command} failed: ${message}` };
  }
}

/** For plain buttons: success and failure are announced as a message at the bottom of the window. */
export async function act<C extends CommandName>(
  command: C,
  args: CommandArgs<C>,
  success?: string,
): Promise<CommandResults[C] | undefined> {
  const outcome = await attemptCommand(command, args);
  if (outcome.ok) {
    // Decisions come back with the action that undoes them: the message offers Undo.
    const value = outcome.value as { actionId?: unknown } | null;
    const actionId =
      value && typeof value === 'object' && typeof value.actionId === 'string' ? value.actionId : undefined;
    if (success) useUi.getState().notify('info', success, actionId);
    return outcome.value;
  }
  useUi.getState().notify('error', outcome.message);
  return undefined;
}
