// The life of the Electron shell: one instance, elevation, hardened session, core, windows, tray, notifications,
// and a quit that waits for core to stop the WFP subscription. Every decision is core's; this only wires.
import { AUTOSTART_ARG } from '../core/app-identity';
import { whyEndingAtOnce } from '../core/util/end-process';
import type { Mode } from '../core/model';
import { createDispatcher, pagesSenderCheck, type Dispatcher } from '../ipc/dispatch';
import { Autostart, nodeProcessRunner, systemTempFileWriter } from '../core/autostart';
import { createIconProvider } from './app-icons';
import { createAutostartHandlers } from './autostart';
import type { CoreLoader, CoreService } from './core-port';
import type { ElectronDeps, WindowLike } from './deps';
import { guardDownloads, type ProtectedFolder } from './downloads';
import { isElevated, offerElevation } from './elevation';
import type { InstanceLock } from './instance-lock';
import { decisionWindowsPart, registerCommands, sendEvent } from './ipc';
import { MainWindow } from './main-window';
import { createNotifier } from './notifications';
import { NotificationWindow } from './notification-window';
import { APP_ORIGIN, APP_SCHEME, MAIN_PAGE, NOTIFICATION_PAGE, OUR_PAGES, PROMPT_PAGE } from './pages';
import { PromptWindow } from './prompt-window';
import { rendererRequestHandler } from './protocol';
import { hardenContents, hardenSession } from './security';
import { ShellState } from './shell-state';
import { TrayController, type TrayActions } from './tray';

export interface ShellPaths {
  readonly preload: string;
  readonly rendererDir: string;
  /** How to start this same app again (elevated): the executable and its arguments. */
  readonly exe: string;
  readonly args: readonly string[];
}

export interface RunningShell {
  readonly core: CoreService;
  readonly dispatcher: Dispatcher;
  readonly tray: TrayController;
  readonly trayActions: TrayActions;
  readonly mainWindow: MainWindow;
  readonly promptWindow: PromptWindow;
}

/** What boot learned before Electron was ready. */
export interface ShellStart {
  /** Our own lock, taken in boot (instance-lock.ts): tells a running Portcullis from a window that imitates one. */
  readonly instanceLock?: InstanceLock;
  /** Folders no export may be written into (downloads.ts), as Windows reported them; none in a development run. */
  readonly protectedFolders?: readonly ProtectedFolder[];
}

/** How long quitting waits for core to stop before giving up on it. */
export const STOP_TIMEOUT_MS = 15_000;

export async function runPortcullis(
  deps: ElectronDeps,
  loadCore: CoreLoader,
  paths: ShellPaths,
  start: ShellStart = {},
): Promise<RunningShell | undefined> {
  const { app } = deps;
  const instanceLock = start.instanceLock ?? 'unavailable';
  // Synchronous, before the first await (see boot.ts): the lock is taken before Electron is ready.
  if (!app.requestSingleInstanceLock()) {
    if (instanceLock !== 'held') {
      app.quit();
      return undefined;
    }
    // Chromium found a window named like ours, yet no Portcullis holds our lock: some program imitates one to make
    // this start quit. Start anyway; a real second launch still finds our lock held and quits.
    deps.log('warn', 'Another program poses as a running Portcullis (a window named like its own); starting anyway.');
  }

  let core: CoreService | undefined;
  let quitting = false;
  let stopping: Promise<void> | undefined;
  let stopped = false;
  let tray: TrayController | undefined;
  // Filled once core is up. A second launch before that (the user double-clicks while the logon task is still
  // starting us) is remembered, and the window shows as soon as there is one.
  const shown: { main?: MainWindow; wanted: boolean } = { wanted: false };

  app.on('second-instance', () => {
    if (shown.main) shown.main.show();
    else shown.wanted = true;
  });
  // Closing every window leaves Portcullis in the tray; quitting is explicit (tray menu) or via closeToTray=false.
  app.on('window-all-closed', () => undefined);
  app.on('before-quit', (event) => {
    quitting = true;
    tray?.destroy();
    tray = undefined;
    if (!core || stopped) return;
    event.preventDefault();
    const stoppingCore = core;
    stopping ??= stopCore(deps, stoppingCore).then(() => {
      stopped = true;
      // Quitting frees Node's environment, which joins every thread it started (node::FreeEnvironment, from
      // Electron's NodeEnvironment destructor): a thread inside a call that does not return would keep the process
      // alive unseen, holding the single-instance lock so that Portcullis cannot be started again. Core has stopped
      // and saved everything by now (or was given STOP_TIMEOUT_MS and the log says it did not stop), so such a call
      // is left behind.
      const held = stoppingCore.callsHoldingExit?.() ?? [];
      if (held.length === 0) {
        app.quit();
        return;
      }
      deps.log('warn', `Ending at once: ${whyEndingAtOnce(held, 'quitting')}`);
      deps.endProcessNow();
    });
  });

  await app.whenReady();
  if (!isElevated(deps)) {
    // The elevated copy must be able to take the single-instance lock.
    app.releaseSingleInstanceLock();
    await offerElevation(deps, paths.exe, paths.args);
    app.quit();
    return undefined;
  }

  // Electron emits no 'before-quit' when Windows ends the session (docs/api/app.md), and kills the process as soon
  // as the windows have heard 'session-end' (shell/browser/native_window_views_win.cc, WM_ENDSESSION). The engine
  // options are machine-wide and outlive us, so they are put back right there, synchronously.
  let sessionEnded = false;
  deps.watchSessionEnd((phase, reasons) => {
    if (phase === 'query') {
      deps.log('info', `Windows asks to end the session (${reasons.join(', ') || 'shutdown'})`);
      return;
    }
    if (sessionEnded) return;
    sessionEnded = true;
    quitting = true;
    try {
      core?.endSession();
    } catch (error) {
      deps.log('error', 'Putting the engine options back at the end of the session failed', error);
    }
  });

  hardenSession(deps.defaultSession, { devTools: !app.isPackaged });
  guardDownloads(deps.defaultSession, deps, { protectedFolders: start.protectedFolders ?? [] });
  deps.removeApplicationMenu();
  deps.serveScheme(APP_SCHEME, rendererRequestHandler(paths.rendererDir));

  try {
    core = await loadCore();
  } catch (error) {
    deps.log('error', 'Portcullis could not start its core', error);
    await deps.showMessageBox({
      type: 'error',
      title: 'Portcullis could not start',
      message: error instanceof Error ? error.message : String(error),
      detail:
        'Open Command Prompt as administrator and run `portcullis status` for details, or `portcullis reset` to remove ' +
        'every filter of ours.',
      buttons: ['Quit'],
    });
    app.exit(1);
    return undefined;
  }
  const running = core;

  const ourContents = new Set<number>();
  const adopt = (win: WindowLike): void => {
    ourContents.add(win.webContents.id);
    hardenContents(win.webContents);
  };

  const dispatcher = createDispatcher({
    handlers: {
      ...running.handlers,
      'apps.icon': createIconProvider(app),
      'inbox.open': ({ decisionId }) => {
        promptWindow.open(decisionId);
        notificationWindow.hide();
        return { opened: true };
      },
      ...createAutostartHandlers({
        platform: deps.platform,
        isPackaged: app.isPackaged,
        exePath: paths.exe,
        autostart: () => {
          const root = systemRoot();
          return new Autostart({
            run: nodeProcessRunner,
            writeTempFile: systemTempFileWriter(root),
            systemRoot: root,
            signedInUser: deps.signedInUser,
          });
        },
      }),
    },
    isTrustedSender: pagesSenderCheck(APP_ORIGIN, OUR_PAGES),
    onHandlerError: (command, error) => deps.log('error', `IPC command ${command} failed`, error),
    onRefused: (_command, error) => deps.log('warn', `IPC call refused: ${error.message}`),
  });
  registerCommands(deps.ipcMain, dispatcher, ourContents);

  const state = new ShellState(await running.handlers['snapshot.get']({}));

  const main = new MainWindow(deps, {
    preload: paths.preload,
    devTools: !app.isPackaged,
    url: APP_ORIGIN + MAIN_PAGE,
    closeToTray: () => state.view().settings.closeToTray,
    isQuitting: () => quitting,
    onOpened: adopt,
    onClosed: (win) => {
      ourContents.delete(win.webContents.id);
      if (!state.view().settings.closeToTray && !quitting) app.quit();
    },
  });
  const promptWindow = new PromptWindow(deps, {
    preload: paths.preload,
    devTools: !app.isPackaged,
    url: APP_ORIGIN + PROMPT_PAGE,
    isQuitting: () => quitting,
    onOpened: adopt,
  });

  const notificationWindow = new NotificationWindow(deps, {
    preload: paths.preload,
    devTools: !app.isPackaged,
    url: APP_ORIGIN + NOTIFICATION_PAGE,
    onOpened: adopt,
    userBusy: () => deps.userBusy(),
  });

  const report = (what: string) => (error: unknown) => deps.log('error', `${what} failed`, error);
  shown.main = main;
  const trayActions: TrayActions = {
    open: () => main.show(),
    // Enforce can cut apps off: from the tray too it goes through the page's preview and one confirmation, as in
    // Settings; the other modes block nothing new and switch at once.
    setMode: (mode: Mode) =>
      mode === 'enforce'
        ? main.showThen((win) => sendEvent([win], 'previewMode', { mode }))
        : void Promise.resolve(running.handlers['mode.set']({ mode })).catch(report('Switching mode')),
    openDecision: (decisionId) => promptWindow.open(decisionId),
    pauseNotifications: (minutes) =>
      void Promise.resolve(running.handlers['notifications.pause']({ minutes })).catch(report('Pausing notifications')),
    quit: () => app.quit(),
  };
  const trayController = new TrayController(deps, trayActions);
  tray = trayController;

  const refresh = (): void => {
    const view = state.view();
    tray?.update(view);
    const pending = view.decisions.map((d) => d.id);
    promptWindow.sync(pending);
    notificationWindow.sync(pending);
  };
  running.onDelta((batch) => {
    sendEvent([main.current], 'delta', batch);
    const decisionPart = decisionWindowsPart(batch);
    if (decisionPart) sendEvent([promptWindow.current, notificationWindow.current], 'delta', decisionPart);
    if (state.apply(batch)) refresh();
  });
  running.onNotification(createNotifier(notificationWindow));
  refresh();

  if (!paths.args.includes(AUTOSTART_ARG) || shown.wanted) main.show();
  return { core: running, dispatcher, tray: trayController, trayActions, mainWindow: main, promptWindow };
}

async function stopCore(deps: ElectronDeps, core: CoreService): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), STOP_TIMEOUT_MS);
  });
  try {
    const outcome = await Promise.race([core.stop().then(() => 'stopped' as const), timeout]);
    if (outcome === 'timeout') deps.log('warn', `Core did not stop within ${STOP_TIMEOUT_MS} ms; quitting anyway.`);
  } catch (error) {
    deps.log('error', 'Stopping core failed', error);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Windows' own folder: the installed app has put FOLDERID_Windows, as Windows reports it, in SystemRoot before anything else
 * ran (hardening.ts sanitizeEnvironment), whatever the environment it was started with claimed.
 */
function systemRoot(): string {
  const root = process.env.SystemRoot;
  if (!root)
    throw new Error('SystemRoot is not set, so the Windows folder is unknown; start with Windows was not changed.');
  return root;
}
