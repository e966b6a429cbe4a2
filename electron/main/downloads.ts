// Exports (Activity, Rules) are saved by Chromium's downloader inside this elevated process, so the file is written
// with administrator rights wherever its save path points. A program of the same user, without elevation, can choose
// that place: it can move the Downloads folder (HKCU ...\User Shell Folders), where a save dialog opens, or replace a
// folder of the user's with a junction into the Windows folder, Program Files or our data folder. So main asks for
// the path itself, follows it to the folder it really names, refuses folders only administrators may write to, and
// hands Chromium that real folder.
import { lstatSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { DATA_FOLDER_NAME } from '../core/app-identity';
import { isNetworkOrDevicePath } from '../core/util/network-paths';
import type { DownloadItemLike, ElectronDeps, PreventableEvent, SessionLike, WebContentsLike } from './deps';
import { isInside, isOrIsInside } from './hardening';
import { APP_ORIGIN } from './pages';

/** A folder an export must never land in, and how a refusal names it. */
export interface ProtectedFolder {
  readonly path: string;
  readonly name: string;
}

/**
 * The system folders of this PC, where an elevated write could harm what only administrators may change: our rules,
 * Windows, installed programs, and every program's machine-wide data (all of ProgramData, not only ours: its
 * all-users Start menu and other programs' administrator-only folders are there too). As Windows reported them at
 * start: boot.ts reads them with SHGetKnownFolderPath, never from the environment, which any program of the user can
 * set. The most specific first, so the refusal names it.
 */
export function protectedFoldersOf(folders: {
  readonly windowsDirectory: string;
  readonly programData: string;
  readonly programFiles: string;
  readonly programFilesX86: string;
}): ProtectedFolder[] {
  return [
    { path: join(folders.programData, DATA_FOLDER_NAME), name: "Portcullis' data folder" },
    { path: folders.programData, name: 'the ProgramData folder' },
    { path: folders.windowsDirectory, name: 'the Windows folder' },
    { path: folders.programFiles, name: 'the Program Files folder' },
    { path: folders.programFilesX86, name: 'the Program Files (x86) folder' },
  ];
}

/** What the checks read from the file system; tests hand in their own. */
export interface SaveTargetFiles {
  /** The folder's real path, with every junction and symbolic link on the way followed. */
  realFolder(folder: string): string;
  /** What is at `file` itself (a link is not followed); undefined when nothing is. */
  entry(file: string): { readonly link: boolean; readonly names: number } | undefined;
}

export const nodeFiles: SaveTargetFiles = {
  // Node's docs/api/fs.md: fs.realpathSync.native is "Synchronous realpath(3)", which libuv implements on Windows
  // with GetFinalPathNameByHandleW (libuv docs/src/fs.rst, uv_fs_realpath): the path of the folder that was opened,
  // through junctions, symbolic links, subst drives and 8.3 names; a share comes back as \\server\share (libuv
  // src/win/fs.c, fs__realpath_handle, strips \\?\UNC\).
  realFolder: (folder) => realpathSync.native(folder),
  // lstat reports junctions and symbolic links alike as links on Windows (libuv src/win/fs.c, fs__stat_handle: a
  // reparse point that fs__readlink_handle can read, IO_REPARSE_TAG_SYMLINK or IO_REPARSE_TAG_MOUNT_POINT).
  entry: (file) => {
    const stats = lstatSync(file, { throwIfNoEntry: false });
    return stats && { link: stats.isSymbolicLink(), names: stats.nlink };
  },
};

export type SaveDecision =
  { readonly save: string } | { readonly refused: string; readonly why: string; readonly whatToDo: string };

const OWN_FOLDER = 'Choose a folder of your own, such as Documents.';

/** Where Chromium may write the export the user chose to save at `chosen`, or why not and what to do instead. */
export function checkSaveTarget(
  chosen: string,
  protectedFolders: readonly ProtectedFolder[],
  files: SaveTargetFiles = nodeFiles,
): SaveDecision {
  const refuse = (why: string, whatToDo = OWN_FOLDER): SaveDecision => ({ refused: chosen, why, whatToDo });
  // Before anything touches the file system: even a look at a share connects to it.
  if (isNetworkOrDevicePath(chosen)) {
    return refuse(
      'It is on a network share or a device path, and Portcullis runs as administrator: it does not connect to a ' +
        'server a path names.',
      'Save it in a folder on this PC, such as Documents, and copy it from there.',
    );
  }
  if (!isAbsolute(chosen)) return refuse('It is not a full path.');
  const folder = dirname(chosen);
  const folderCheck = checkFolder(folder, protectedFolders, files);
  if ('refused' in folderCheck) return refuse(folderCheck.why);
  const target = join(folderCheck.real, basename(chosen));
  let entry: ReturnType<SaveTargetFiles['entry']>;
  try {
    entry = files.entry(target);
  } catch (error) {
    return refuse(`${target} could not be checked (${messageOf(error)}).`);
  }
  if (entry?.link) {
    return refuse(
      `${target} is a link to another place, and Portcullis runs as administrator: it does not write through links.`,
      'Choose another file name, or a folder of your own such as Documents.',
    );
  }
  if (entry && entry.names > 1) {
    return refuse(
      `${target} is a hard link: the same file has another name elsewhere, which saving would change too.`,
      'Choose another file name, or a folder of your own such as Documents.',
    );
  }
  return { save: target };
}

function checkFolder(
  folder: string,
  protectedFolders: readonly ProtectedFolder[],
  files: SaveTargetFiles,
): { readonly real: string } | { readonly why: string; readonly refused: true } {
  let real: string;
  try {
    real = files.realFolder(folder);
  } catch (error) {
    return { refused: true, why: `The folder ${folder} could not be checked (${messageOf(error)}).` };
  }
  const where = real === folder ? `The folder ${folder} is` : `The folder ${folder} leads to ${real}, which is`;
  if (isNetworkOrDevicePath(real)) {
    return {
      refused: true,
      why:
        `${where} on a network share, and Portcullis runs as administrator: it does not connect to a server a ` +
        'folder points to.',
    };
  }
  const hit = protectedFolders.find((p) => p.path !== '' && isOrIsInside(real, p.path));
  if (hit) {
    return {
      refused: true,
      why:
        `${where} ${isInside(real, hit.path) ? 'inside ' : ''}${hit.name} (${hit.path}). Portcullis runs as ` +
        'administrator and does not save exports in system folders: a program may have moved or linked the ' +
        'folder to make it write there.',
    };
  }
  return { real };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The only downloads we save: the exports our own pages make from a Blob (renderer/src/components/download.ts).
 * A blob URL names the origin that made it: "blob:", the serialized origin, "/" and a UUID (File API spec,
 * "generate a new blob URL"), so ours read blob:portcullis://app/<uuid>.
 */
export function isOurExport(url: string): boolean {
  return url.startsWith(`blob:${APP_ORIGIN}/`);
}

/** Where the save dialog opens: the Downloads folder, unless it leads somewhere an export would be refused. */
export function defaultSavePath(
  fileName: string,
  downloads: string | undefined,
  protectedFolders: readonly ProtectedFolder[],
  files: SaveTargetFiles = nodeFiles,
): string {
  if (!downloads || !isAbsolute(downloads) || isNetworkOrDevicePath(downloads)) return fileName;
  return 'refused' in checkFolder(downloads, protectedFolders, files) ? fileName : join(downloads, fileName);
}

export interface DownloadGuardOptions {
  readonly protectedFolders: readonly ProtectedFolder[];
  readonly files?: SaveTargetFiles;
}

/**
 * Decides every download of `session` before its listener returns. Electron documents no way to decide later:
 * item.setSavePath "is only available in session's will-download callback function", and "If user doesn't set the
 * save path via the API, Electron will use the original routine to determine the save path; this usually prompts a
 * save dialog" (docs/api/download-item.md), whose answer would be written unchecked; item.setSaveDialogOptions only
 * shapes that same dialog. So the dialog is the synchronous one (dialog.showSaveDialogSync, docs/api/dialog.md), and
 * the main thread does nothing else while it is open: core takes no events then (those the event ring cannot hold
 * are counted as lost and shown, docs/architecture.md "One event's way"), while WFP keeps applying the filters.
 */
export function guardDownloads(
  session: SessionLike,
  deps: Pick<ElectronDeps, 'app' | 'showSaveDialogSync' | 'showMessageBox' | 'log'>,
  options: DownloadGuardOptions,
): void {
  const files = options.files ?? nodeFiles;
  session.on('will-download', (event, item, contents) => {
    try {
      decide(event, item, contents);
    } catch (error) {
      // A listener that throws would leave the item to Electron's own dialog and an unchecked path.
      event.preventDefault();
      deps.log('error', 'An export was cancelled: checking where to save it failed', error);
    }
  });

  function decide(event: PreventableEvent, item: DownloadItemLike, contents: WebContentsLike | null): void {
    const url = item.getURL();
    if (!isOurExport(url)) {
      // docs/api/session.md, 'will-download': "Calling event.preventDefault() will cancel the download".
      event.preventDefault();
      deps.log('warn', `A download of ${url.slice(0, 200)} was cancelled: Portcullis saves only its own exports.`);
      return;
    }
    const fileName = basename(item.getFilename()) || 'export';
    const chosen = deps.showSaveDialogSync(
      {
        title: 'Save export',
        defaultPath: defaultSavePath(fileName, downloadsFolder(), options.protectedFolders, files),
      },
      contents,
    );
    if (!chosen) {
      event.preventDefault();
      return;
    }
    const decision = checkSaveTarget(chosen, options.protectedFolders, files);
    if ('refused' in decision) {
      event.preventDefault();
      deps.log('warn', `An export to ${decision.refused} was refused: ${decision.why}`);
      void deps
        .showMessageBox({
          type: 'warning',
          title: 'Export not saved',
          message: `Portcullis did not save the export to ${decision.refused}.`,
          detail: `${decision.why} ${decision.whatToDo}`,
          buttons: ['OK'],
        })
        .catch((error: unknown) => deps.log('error', 'Showing why an export was not saved failed', error));
      return;
    }
    item.setSavePath(decision.save);
  }

  function downloadsFolder(): string | undefined {
    try {
      return deps.app.getPath('downloads');
    } catch {
      // app.getPath throws when Windows has no such folder for this user; the dialog then opens where it likes.
      return undefined;
    }
  }
}
