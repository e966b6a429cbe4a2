// Exports are written by Chromium inside the elevated process. A program of the user can move the Downloads folder
// or link a folder of the user's into C:\Windows, Program Files or the data folder; main asks where to save, follows
// the path to the folder it really names, and refuses folders only administrators may write to. On Linux, symbolic
// links stand in for junctions and temporary folders for the ones Windows reports.
import {
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { boot } from '../../../electron/main/boot';
import { guardDownloads, type SaveTargetFiles } from '../../../electron/main/downloads';
import { fakeElectron } from './fake-electron';
import { bootOptions, startShell, windowsFacts } from './start';

const EXPORT = 'blob:portcullis://app/5f0c3a52-7e5b-4b8e-9a43-0d6f9a1c2b11';

let root: string;
let pc: {
  windows: string;
  programData: string;
  data: string;
  programFiles: string;
  programFilesX86: string;
  documents: string;
  downloads: string;
};

beforeEach(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'portcullis-downloads-')));
  pc = {
    windows: join(root, 'Windows'),
    programData: join(root, 'ProgramData'),
    data: join(root, 'ProgramData', 'Portcullis'),
    programFiles: join(root, 'Program Files'),
    programFilesX86: join(root, 'Program Files (x86)'),
    documents: join(root, 'Users', 'jose', 'Documents'),
    downloads: join(root, 'Users', 'jose', 'Downloads'),
  };
  for (const folder of Object.values(pc)) mkdirSync(folder, { recursive: true });
  mkdirSync(join(pc.windows, 'System32'));
  writeFileSync(join(pc.data, 'rules.json'), '{"rules":[]}');
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

/** The installed app on Windows, started through boot with these folders as Windows reports them. */
async function installedApp() {
  const electron = fakeElectron({ platform: 'win32', packaged: true });
  const facts = windowsFacts({
    windowsDirectory: pc.windows,
    systemDirectory: join(pc.windows, 'System32'),
    programData: pc.programData,
    programFiles: pc.programFiles,
    programFilesX86: pc.programFilesX86,
  });
  const options = {
    ...bootOptions({ exe: join(pc.programFiles, 'Portcullis', 'Portcullis.exe') }),
    windowsFacts: () => facts,
  };
  const started = boot(electron, options);
  electron.ready();
  await started;
  electron.state.downloads = pc.downloads;
  return { electron, page: electron.windows[0]!.webContents };
}

/** Throws if the checks touch the file system at all. */
function untouchable(): SaveTargetFiles & { realFolder: ReturnType<typeof vi.fn>; entry: ReturnType<typeof vi.fn> } {
  return {
    realFolder: vi.fn(() => {
      throw new Error('the file system was touched');
    }),
    entry: vi.fn(() => {
      throw new Error('the file system was touched');
    }),
  };
}

describe('which downloads are saved at all', () => {
  it.each([
    'https://example.com/setup.exe',
    'blob:https://example.com/5f0c3a52-7e5b-4b8e-9a43-0d6f9a1c2b11',
    'blob:portcullis://elsewhere/5f0c3a52-7e5b-4b8e-9a43-0d6f9a1c2b11',
    'blob:null/5f0c3a52-7e5b-4b8e-9a43-0d6f9a1c2b11',
    'data:text/plain,hello',
    'portcullis://app/index.html',
  ])('a download of %s is cancelled without a dialog, and logged', async (url) => {
    const { electron, mainWindow } = await startShell();
    const { outcome } = electron.download(url, 'setup.exe', mainWindow.webContents);
    expect(outcome).toEqual({ kind: 'cancelled' });
    expect(electron.saveDialogs).toEqual([]);
    expect(electron.logs).toContainEqual(expect.stringMatching(/^warn: A download of .* was cancelled/));
  });

  it("a development run guards its exports too: the user's folder gets the file", async () => {
    const { electron, mainWindow } = await startShell();
    electron.state.saveAnswer = join(pc.documents, 'activity.csv');
    const { outcome } = electron.download(EXPORT, 'activity.csv', mainWindow.webContents);
    expect(outcome).toEqual({ kind: 'saved', path: join(pc.documents, 'activity.csv') });
  });
});

describe('the save dialog', () => {
  it("is main's own, modal to the page, opening in Downloads with the suggested name; cancelled, nothing is written", async () => {
    const { electron, page } = await installedApp();
    electron.state.saveAnswer = '';
    const { outcome } = electron.download(EXPORT, 'portcullis-rules.json', page);
    expect(electron.saveDialogs).toEqual([
      { title: 'Save export', defaultPath: join(pc.downloads, 'portcullis-rules.json'), parent: page },
    ]);
    // Not 'electron-dialog': Electron's own dialog would write wherever it answers, unchecked.
    expect(outcome).toEqual({ kind: 'cancelled' });
    expect(existsSync(join(pc.downloads, 'portcullis-rules.json'))).toBe(false);
    expect(electron.messageBoxOptions).toEqual([]);
  });

  it('does not open in a Downloads folder that leads into the Windows folder: only the file name is suggested', async () => {
    const { electron, page } = await installedApp();
    const moved = join(root, 'Users', 'jose', 'Moved Downloads');
    symlinkSync(join(pc.windows, 'System32'), moved, 'dir');
    electron.state.downloads = moved;
    electron.download(EXPORT, 'activity.csv', page);
    expect(electron.saveDialogs[0]!.defaultPath).toBe('activity.csv');
  });

  it('suggests only the file name when Downloads is on a share, and never looks at the share', () => {
    const electron = fakeElectron();
    electron.ready();
    const files = untouchable();
    guardDownloads(electron.defaultSession, electron, { protectedFolders: [], files });
    electron.state.downloads = '\\\\fileserver\\jose\\Downloads';
    electron.download(EXPORT, 'activity.csv');
    expect(electron.saveDialogs[0]!.defaultPath).toBe('activity.csv');
    expect(files.realFolder).not.toHaveBeenCalled();
  });

  it("an error while deciding cancels the download instead of leaving it to Electron's own dialog", () => {
    const electron = fakeElectron();
    electron.ready();
    const failing = {
      ...electron,
      showSaveDialogSync: () => {
        throw new Error('the dialog could not be created');
      },
    };
    guardDownloads(electron.defaultSession, failing, { protectedFolders: [] });
    const { outcome, thrown } = electron.download(EXPORT, 'activity.csv');
    expect(outcome).toEqual({ kind: 'cancelled' });
    expect(thrown).toBeUndefined();
    expect(electron.logs).toContainEqual('error: An export was cancelled: checking where to save it failed');
  });
});

describe('where an export may be written', () => {
  it.each([
    ['the data folder', () => pc.data, "Portcullis' data folder"],
    ['ProgramData', () => pc.programData, 'the ProgramData folder'],
    ['System32', () => join(pc.windows, 'System32'), 'the Windows folder'],
    ['Program Files', () => pc.programFiles, 'the Program Files folder'],
    ['Program Files (x86)', () => pc.programFilesX86, 'the Program Files (x86) folder'],
  ])(
    "a folder of the user's that is a link into %s is refused with a message naming it, and the item cancelled",
    async (_where, target, name) => {
      const { electron, page } = await installedApp();
      const linked = join(pc.documents, 'Exports');
      symlinkSync(target(), linked, 'dir');
      const chosen = join(linked, 'rules.json');
      electron.state.saveAnswer = chosen;
      const { outcome } = electron.download(EXPORT, 'rules.json', page);
      expect(outcome).toEqual({ kind: 'cancelled' });
      const [box] = electron.messageBoxOptions;
      expect(box!.message).toBe(`Portcullis did not save the export to ${chosen}.`);
      expect(box!.detail).toContain(`The folder ${linked} leads to ${target()}, which is`);
      expect(box!.detail).toContain(name);
      expect(box!.detail).toContain('does not save exports in system folders');
      expect(box!.detail).toContain('Choose a folder of your own, such as Documents.');
      expect(electron.logs).toContainEqual(expect.stringContaining(`warn: An export to ${chosen} was refused`));
    },
  );

  it('the data folder itself, chosen in the dialog, is refused too', async () => {
    const { electron, page } = await installedApp();
    electron.state.saveAnswer = join(pc.data, 'rules.json');
    const { outcome } = electron.download(EXPORT, 'rules.json', page);
    expect(outcome).toEqual({ kind: 'cancelled' });
    expect(electron.messageBoxOptions[0]!.detail).toContain(`The folder ${pc.data} is Portcullis' data folder`);
  });

  it.each([
    '\\\\fileserver\\share\\rules.json',
    '//fileserver/share/rules.json',
    '\\\\?\\C:\\Windows\\rules.json',
    '\\\\.\\pipe\\rules',
  ])('%s is refused without touching the file system', (chosen) => {
    const electron = fakeElectron();
    electron.ready();
    const files = untouchable();
    guardDownloads(electron.defaultSession, electron, { protectedFolders: [], files });
    // No Downloads folder either (app.getPath throws), so nothing but the chosen path could be looked at.
    electron.state.downloads = undefined;
    electron.state.saveAnswer = chosen;
    const { outcome } = electron.download(EXPORT, 'rules.json');
    expect(outcome).toEqual({ kind: 'cancelled' });
    expect(files.realFolder).not.toHaveBeenCalled();
    expect(files.entry).not.toHaveBeenCalled();
    expect(electron.messageBoxOptions[0]!.message).toContain(chosen);
    expect(electron.messageBoxOptions[0]!.detail).toContain('network share or a device path');
  });

  it('a folder that leads to a share is refused', () => {
    const electron = fakeElectron();
    electron.ready();
    const files: SaveTargetFiles = { realFolder: () => '\\\\fileserver\\share', entry: () => undefined };
    guardDownloads(electron.defaultSession, electron, { protectedFolders: [], files });
    electron.state.saveAnswer = join(pc.documents, 'rules.json');
    const { outcome } = electron.download(EXPORT, 'rules.json');
    expect(outcome).toEqual({ kind: 'cancelled' });
    expect(electron.messageBoxOptions[0]!.detail).toContain(
      'leads to \\\\fileserver\\share, which is on a network share',
    );
  });

  it("a folder of the user's gets the save path, through the folder it really is", async () => {
    const { electron, page } = await installedApp();
    const shortcut = join(root, 'Users', 'jose', 'Docs');
    symlinkSync(pc.documents, shortcut, 'dir');
    electron.state.saveAnswer = join(shortcut, 'activity.csv');
    const { outcome } = electron.download(EXPORT, 'activity.csv', page);
    expect(outcome).toEqual({ kind: 'saved', path: join(pc.documents, 'activity.csv') });
    expect(electron.messageBoxOptions).toEqual([]);
  });

  it('an existing link as the file itself is refused', async () => {
    const { electron, page } = await installedApp();
    const chosen = join(pc.documents, 'rules.json');
    symlinkSync(join(pc.data, 'rules.json'), chosen, 'file');
    electron.state.saveAnswer = chosen;
    const { outcome } = electron.download(EXPORT, 'rules.json', page);
    expect(outcome).toEqual({ kind: 'cancelled' });
    expect(electron.messageBoxOptions[0]!.detail).toContain(`${chosen} is a link to another place`);
    expect(electron.messageBoxOptions[0]!.detail).toContain('Choose another file name');
  });

  it('an existing hard link as the file itself is refused: saving would change its other name too', async () => {
    const { electron, page } = await installedApp();
    const chosen = join(pc.documents, 'rules.json');
    linkSync(join(pc.data, 'rules.json'), chosen);
    electron.state.saveAnswer = chosen;
    const { outcome } = electron.download(EXPORT, 'rules.json', page);
    expect(outcome).toEqual({ kind: 'cancelled' });
    expect(electron.messageBoxOptions[0]!.detail).toContain(`${chosen} is a hard link`);
  });

  it("an existing plain file of the user's may be replaced (the dialog asked first)", async () => {
    const { electron, page } = await installedApp();
    const chosen = join(pc.documents, 'activity.csv');
    writeFileSync(chosen, 'old');
    electron.state.saveAnswer = chosen;
    expect(electron.download(EXPORT, 'activity.csv', page).outcome).toEqual({ kind: 'saved', path: chosen });
  });

  it('a folder that cannot be checked is refused, with the reason', async () => {
    const { electron, page } = await installedApp();
    const gone = join(pc.documents, 'Gone');
    electron.state.saveAnswer = join(gone, 'rules.json');
    const { outcome } = electron.download(EXPORT, 'rules.json', page);
    expect(outcome).toEqual({ kind: 'cancelled' });
    expect(electron.messageBoxOptions[0]!.detail).toContain(`The folder ${gone} could not be checked (ENOENT`);
  });
});
