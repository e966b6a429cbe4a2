// What the Windows binding offers (WindowsSystem), and what each of its parts is bound with (SystemDlls).
import type { LibraryHandle } from 'koffi';

export interface SignedInUser {
  /** DOMAIN\name, for display only. */
  readonly name: string;
  /** S-1-5-21-..., what the logon task is registered for. */
  readonly sid: string;
}

export interface WindowsSystem {
  /** %SystemRoot%\System32 as Windows reports it (GetSystemDirectoryW), never from the environment. */
  systemDirectory(): string;
  /** A known folder (SHGetKnownFolderPath), never from the environment. */
  knownFolder(id: string): string;
  /** Narrows where LoadLibrary looks for every later load of this process (SetDefaultDllDirectories). */
  setDefaultDllDirectories(flags: number): void;
  /** Whether this process' token is elevated (GetTokenInformation TokenElevation). */
  isElevated(): boolean;
  /** The account of this process' token (TokenUser). */
  tokenUser(): SignedInUser;
  /** The account signed in to this process' Windows session, which differs from the token's after "Run as" with another administrator's credentials. */
  sessionUser(): SignedInUser;
  /** SHQueryUserNotificationState. */
  notificationState(): number;
  /** ShellExecuteW with the "runas" verb: a UAC prompt, then `file` elevated. False when declined or failed. */
  runAsAdministrator(file: string, parameters: string): boolean;
  /** The machine PATH (HKLM ...\Session Manager\Environment, value Path) and whether it is REG_EXPAND_SZ. */
  readMachinePath(): { value: string; expand: boolean };
  writeMachinePath(value: string, expand: boolean): void;
  /** GetSystemMetrics(SM_CXSMICON): the pixel size Windows draws notification-area icons at (16 at 100%, 24 at 150%). */
  smallIconSize(): number;
  /** Broadcasts WM_SETTINGCHANGE "Environment" so Explorer hands new consoles the new PATH. */
  announceEnvironmentChange(): void;
}

/** The DLLs a part of the binding declares its functions in, and how it reports a failed call. */
export interface SystemDlls {
  /** kernel32.dll, a KnownDLL. */
  readonly kernel32: LibraryHandle;
  /** Another system DLL, by its absolute System32 path; each one is loaded once. */
  load(dll: string): LibraryHandle;
  /** Throws Win32Error with GetLastError's code: for the functions that return FALSE and set the last error. */
  fail(func: string, what: string): never;
}
