// NT device paths (what WFP reports) <-> DOS paths (what users know), and application-id blobs for filters.
import type { WfpLibrary } from './loader.js';

export const KERNEL_APP = 'System';
const MUP = '\\device\\mup\\';
const DEVICE_CHARS = 1024;
// An unknown device makes the mapper look again (a USB stick plugged in), but not more often than this.
const REFRESH_INTERVAL_MS = 5000;
// Redirectors behind network drive letters (QueryDosDeviceW of a mapped share or RDP drive).
const NETWORK_DEVICE = /^\\device\\(mup|lanmanredirector|webdavredirector|rdpdr|vboxminirdr|csc)(\\|$)|^\\\?\?\\unc\\/i;

export interface PathMapper {
  /** \device\harddiskvolume3\apps\tool.exe -> C:\apps\tool.exe; \device\mup\srv\share\x -> \\srv\share\x; System -> System. */
  ntToDos(nt: string): string | undefined;
  /** C:\Apps\tool.exe -> \device\harddiskvolume3\Apps\tool.exe (case kept); undefined when the drive is unknown. */
  dosToNt(dos: string): string | undefined;
  /** Reads the drive letters again (QueryDosDeviceW over A..Z). */
  refresh(): void;
  /** The drive table as last read: "C:" -> "\device\harddiskvolume3" (lower case). */
  readonly drives: ReadonlyMap<string, string>;
  /**
   * The FWPM_CONDITION_ALE_APP_ID blob for a program on a local drive: the lower-case NT path + NUL. Throws a
   * TypeError (saying why) for UNC, device and \\?\ paths, network drives, unknown drives and NULs.
   */
  appIdBlobFor(dosPath: string): Uint8Array;
  /** The same application id as text (the lower-case NT path, no NUL); throws where appIdBlobFor throws. */
  appIdFor(dosPath: string): string;
}

const mappers = new WeakMap<WfpLibrary, PathMapper>();

export function createPathMapper(lib: WfpLibrary): PathMapper {
  const existing = mappers.get(lib);
  if (existing) return existing;
  const mapper = new DosDeviceMapper(lib);
  mappers.set(lib, mapper);
  return mapper;
}

function utf16z(text: string): Uint8Array {
  return Buffer.from(`${text}\0`, 'utf16le');
}

class DosDeviceMapper implements PathMapper {
  readonly #lib: WfpLibrary;
  // device (lower case) -> drive; drive -> device
  #byDevice = new Map<string, string>();
  #byDrive = new Map<string, string>();
  #lastRefresh = 0;

  constructor(lib: WfpLibrary) {
    this.#lib = lib;
    this.refresh();
  }

  get drives(): ReadonlyMap<string, string> {
    return this.#byDrive;
  }

  refresh(): void {
    const byDevice = new Map<string, string>();
    const byDrive = new Map<string, string>();
    const buffer = Buffer.alloc(DEVICE_CHARS * 2);
    for (let c = 65; c <= 90; c++) {
      const drive = `${String.fromCharCode(c)}:`;
      const n = this.#lib.fn.QueryDosDeviceW(drive, buffer, DEVICE_CHARS) as number;
      if (n === 0) continue;
      const text = buffer.toString('utf16le', 0, Math.min(n, DEVICE_CHARS) * 2);
      const device = text.split('\0')[0]?.toLowerCase();
      if (!device) continue;
      byDrive.set(drive, device);
      if (!byDevice.has(device)) byDevice.set(device, drive);
    }
    this.#byDevice = byDevice;
    this.#byDrive = byDrive;
    this.#lastRefresh = Date.now();
  }

  ntToDos(nt: string): string | undefined {
    if (nt.toLowerCase() === KERNEL_APP.toLowerCase()) return KERNEL_APP;
    const lower = nt.toLowerCase();
    if (lower.startsWith(MUP)) return `\\\\${nt.slice(MUP.length)}`;
    if (lower.startsWith('\\??\\') && /^[a-z]:\\/i.test(nt.slice(4))) return nt.slice(4);
    const found = this.#lookup(lower);
    if (found) return found.drive + nt.slice(found.device.length);
    if (Date.now() - this.#lastRefresh > REFRESH_INTERVAL_MS && lower.startsWith('\\device\\')) {
      this.refresh();
      const again = this.#lookup(lower);
      if (again) return again.drive + nt.slice(again.device.length);
    }
    return undefined;
  }

  #lookup(lower: string): { device: string; drive: string } | undefined {
    const cut = lower.indexOf('\\', '\\device\\'.length);
    const device = cut < 0 ? lower : lower.slice(0, cut);
    const drive = this.#byDevice.get(device);
    return drive ? { device, drive } : undefined;
  }

  dosToNt(dos: string): string | undefined {
    if (dos.toLowerCase() === KERNEL_APP.toLowerCase()) return KERNEL_APP;
    if (dos.startsWith('\\\\?\\')) return this.dosToNt(dos.slice(4));
    if (dos.startsWith('\\\\')) return `${MUP}${dos.slice(2)}`;
    const m = /^([a-z]:)(\\.*)?$/i.exec(dos);
    if (!m) return undefined;
    const drive = m[1]!.toUpperCase();
    const device = this.#byDrive.get(drive);
    return device ? device + (m[2] ?? '') : undefined;
  }

  appIdBlobFor(dosPath: string): Uint8Array {
    return utf16z(this.appIdFor(dosPath));
  }

  appIdFor(dosPath: string): string {
    if (dosPath.toLowerCase() === KERNEL_APP.toLowerCase()) return KERNEL_APP;
    return this.#localDeviceOf(dosPath).toLowerCase();
  }

  // The application id is built here, never by FwpmGetAppIdFromFileName0: that function opens the file, following
  // links, so an elevated caller handed \\server\share\x.exe (or a local link to it) would connect to that server
  // with the administrator's credentials. The blob is what the fact sheet gives (lower-case NT path + NUL), and it
  // is what WFP reports in events for the same file.
  #localDeviceOf(dosPath: string): string {
    if (dosPath.includes('\0')) throw new TypeError(`the path of ${JSON.stringify(dosPath)} contains a NUL character`);
    if (!/^[a-z]:\\/i.test(dosPath)) {
      throw new TypeError(
        `${dosPath} is not a path on a drive letter (network, device and \\\\?\\ paths are refused for filters)`,
      );
    }
    let nt = this.dosToNt(dosPath);
    if (nt === undefined && Date.now() - this.#lastRefresh > REFRESH_INTERVAL_MS) {
      this.refresh(); // a drive plugged in since the table was read
      nt = this.dosToNt(dosPath);
    }
    // A SUBST drive maps to another drive's path (\??\C:\...): follow it once.
    if (nt !== undefined && /^\\\?\?\\[a-z]:\\/i.test(nt)) nt = this.dosToNt(nt.slice(4));
    if (nt === undefined) {
      throw new TypeError(`drive ${dosPath.slice(0, 2).toUpperCase()} is not present (a removed or unmapped drive)`);
    }
    if (!/^\\device\\/i.test(nt) || NETWORK_DEVICE.test(nt)) {
      throw new TypeError(
        `drive ${dosPath.slice(0, 2).toUpperCase()} is a network drive; rules need a program on a local drive`,
      );
    }
    return nt;
  }
}
