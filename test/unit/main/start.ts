import { runPortcullis, type RunningShell } from '../../../electron/main/lifecycle';
import { fakeCore } from './fake-core';
import { fakeElectron } from './fake-electron';

export async function startShell(
  options: { core?: ReturnType<typeof fakeCore>; electron?: ReturnType<typeof fakeElectron>; args?: string[] } = {},
) {
  const electron = options.electron ?? fakeElectron();
  const core = options.core ?? fakeCore();
  const shell = (await runPortcullis(electron, async () => core, {
    preload: '/app/out/preload/index.cjs',
    rendererDir: '/app/out/renderer',
    exe: '/app/portcullis',
    args: options.args ?? [],
  })) as RunningShell;
  const [mainWindow] = electron.windows;
  return { electron, core, shell, mainWindow: mainWindow! };
}

/** Lets promise callbacks (window loading, core calls) run. */
export const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
