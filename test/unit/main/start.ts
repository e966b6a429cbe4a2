import { vi } from 'vitest';
import { boot, type BootOptions, type WindowsFacts } from '../../../electron/main/boot';
import type { RunningShell } from '../../../electron/main/lifecycle';
import { fakeCore } from './fake-core';
import { fakeElectron } from './fake-electron';

export const EXE = 'C:\\Program Files\\Portcullis\\Portcullis.exe';

export function windowsFacts(overrides: Partial<WindowsFacts> = {}): WindowsFacts {
  return {
    systemDirectory: 'C:\\Windows\\System32',
    windowsDirectory: 'C:\\Windows',
    programData: 'C:\\ProgramData',
    programFiles: 'C:\\Program Files',
    programFilesX86: 'C:\\Program Files (x86)',
    narrowDllSearch: vi.fn(),
    ...overrides,
  };
}

/** HKLM's Path value in memory. */
export function memoryMachinePath(initial: string, expand = true) {
  const state = { value: initial, expand, writes: 0, announced: 0 };
  return {
    state,
    read: () => ({ value: state.value, expand: state.expand }),
    write: (value: string, isExpand: boolean) => {
      state.value = value;
      state.expand = isExpand;
      state.writes += 1;
    },
    announce: () => void (state.announced += 1),
  };
}

/** What index.ts hands boot(), with every outside effect recorded. */
export function bootOptions(options: {
  core?: ReturnType<typeof fakeCore>;
  args?: string[];
  env?: NodeJS.ProcessEnv;
  exe?: string;
  facts?: WindowsFacts;
  runCli?: BootOptions['runCli'];
  machinePath?: ReturnType<typeof memoryMachinePath>;
}) {
  const core = options.core ?? fakeCore();
  const exe = options.exe ?? '/app/portcullis';
  return {
    argv: [exe, ...(options.args ?? [])],
    env: options.env ?? {},
    paths: {
      preload: '/app/out/preload/index.cjs',
      rendererDir: '/app/out/renderer',
      exe,
      args: options.args ?? [],
    },
    loadCore: vi.fn(async () => core),
    runCli: options.runCli ?? vi.fn(async () => 0),
    windowsFacts: vi.fn(() => options.facts ?? windowsFacts()),
    distrustEnvironment: vi.fn(),
    prepareProfile: vi.fn(),
    machinePath: () => options.machinePath ?? memoryMachinePath('C:\\Windows\\system32;C:\\Windows'),
  } satisfies BootOptions;
}

/**
 * Starts the shell the way Electron does: the entry's synchronous part, then 'ready' at once (the earliest Electron
 * may fire it), then everything that was awaited.
 */
export async function startShell(
  options: { core?: ReturnType<typeof fakeCore>; electron?: ReturnType<typeof fakeElectron>; args?: string[] } = {},
) {
  const electron = options.electron ?? fakeElectron();
  const core = options.core ?? fakeCore();
  const started = boot(electron, bootOptions({ core, args: options.args }));
  electron.ready();
  const shell = (await started) as RunningShell;
  const [mainWindow] = electron.windows;
  return { electron, core, shell, mainWindow: mainWindow! };
}

/** Lets promise callbacks (window loading, core calls) run. */
export const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
