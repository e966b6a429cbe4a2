// 'autostart.get' / 'autostart.set': Settings' "Start with Windows", served by the shell because only the installed
// executable can be started at logon. The logon task itself is core's Autostart (schtasks with an XML definition).
import type { Autostart, AutostartState } from '../core/autostart';
import type { AutostartStatus, CommandArgs } from '../ipc/contract';

export interface AutostartContext {
  readonly platform: NodeJS.Platform;
  /** False in a development run (`npm start`): the logon task would start Electron without the app. */
  readonly isPackaged: boolean;
  readonly exePath: string;
  readonly autostart: () => Pick<Autostart, 'enable' | 'disable' | 'query'>;
}

function describe(state: AutostartState): AutostartStatus {
  if (!state.registered) return { supported: true, enabled: false };
  if (!state.matches) {
    return {
      supported: true,
      enabled: state.enabled,
      detail: 'The logon task starts another copy of Portcullis; switch this off and on again to point it here.',
    };
  }
  return { supported: true, enabled: state.enabled };
}

export function createAutostartHandlers(context: AutostartContext) {
  const unsupported: AutostartStatus | undefined =
    context.platform !== 'win32'
      ? {
          supported: false,
          enabled: false,
          detail: 'Starting with Windows is available when Portcullis runs on Windows.',
        }
      : !context.isPackaged
        ? {
            supported: false,
            enabled: false,
            detail: 'Starting with Windows needs the installed Portcullis; this is a development run.',
          }
        : undefined;
  return {
    'autostart.get': async (): Promise<AutostartStatus> =>
      unsupported ?? describe(await context.autostart().query(context.exePath)),
    'autostart.set': async ({ enabled }: CommandArgs<'autostart.set'>): Promise<AutostartStatus> => {
      if (unsupported) return unsupported;
      const autostart = context.autostart();
      if (enabled) return describe(await autostart.enable({ exePath: context.exePath }));
      await autostart.disable();
      return describe(await autostart.query(context.exePath));
    },
  };
}
