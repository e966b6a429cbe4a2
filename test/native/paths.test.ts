// NT <-> DOS paths through QueryDosDeviceW, and application ids for filters.
import { beforeAll, describe, expect, it } from 'vitest';
import { createPathMapper } from '../../native/paths.js';
import { simulator } from './helpers.js';

const { sim, lib } = simulator();

describe('paths', () => {
  beforeAll(() => {
    sim.reset();
    createPathMapper(lib).refresh();
  });

  it('maps drive devices both ways, case-insensitively', () => {
    const m = createPathMapper(lib);
    expect(m.drives.get('C:')).toBe('\\device\\harddiskvolume3');
    expect(m.ntToDos('\\device\\harddiskvolume3\\program files\\app\\app.exe')).toBe('C:\\program files\\app\\app.exe');
    expect(m.ntToDos('\\Device\\HarddiskVolume4\\x.exe')).toBe('D:\\x.exe');
    expect(m.dosToNt('C:\\Apps\\tool.exe')).toBe('\\device\\harddiskvolume3\\Apps\\tool.exe');
    expect(m.dosToNt('c:\\Apps\\tool.exe')).toBe('\\device\\harddiskvolume3\\Apps\\tool.exe');
  });

  it('does not confuse volume 3 with volume 30', () => {
    expect(createPathMapper(lib).ntToDos('\\device\\harddiskvolume30\\x.exe')).toBeUndefined();
  });

  it('maps UNC shares and the kernel', () => {
    const m = createPathMapper(lib);
    expect(m.ntToDos('\\device\\mup\\server\\share\\tool.exe')).toBe('\\\\server\\share\\tool.exe');
    expect(m.dosToNt('\\\\server\\share\\tool.exe')).toBe('\\device\\mup\\server\\share\\tool.exe');
    expect(m.ntToDos('System')).toBe('System');
    expect(m.dosToNt('System')).toBe('System');
  });

  it('sees a newly mapped drive after refresh', () => {
    const m = createPathMapper(lib);
    sim.mapDrive('E:', '\\Device\\HarddiskVolume9');
    m.refresh();
    expect(m.ntToDos('\\device\\harddiskvolume9\\a.exe')).toBe('E:\\a.exe');
    sim.mapDrive('E:', null);
    m.refresh();
    expect(m.ntToDos('\\device\\harddiskvolume9\\a.exe')).toBeUndefined();
  });

  it('builds the application id as the lower-case NT path with its NUL', () => {
    const blob = createPathMapper(lib).appIdBlobFor('C:\\Apps\\Tool.EXE');
    expect(Buffer.from(blob).toString('utf16le')).toBe('\\device\\harddiskvolume3\\apps\\tool.exe\0');
    expect(blob.length).toBe(('\\device\\harddiskvolume3\\apps\\tool.exe'.length + 1) * 2);
  });

  it('builds the id without opening the file: a missing program gets the same bytes', () => {
    const m = createPathMapper(lib);
    const present = m.appIdBlobFor('C:\\Apps\\gone.exe');
    sim.setFileMissing('C:\\Apps\\gone.exe', true);
    try {
      expect(Buffer.from(m.appIdBlobFor('C:\\Apps\\gone.exe'))).toEqual(Buffer.from(present));
    } finally {
      sim.setFileMissing('C:\\Apps\\gone.exe', false);
    }
  });

  it('refuses network, device and \\\\?\\ paths, network drives and absent drives, and never calls FwpmGetAppIdFromFileName0', () => {
    // A library whose FwpmGetAppIdFromFileName0 records its calls: that function opens the file, which for a share
    // means the elevated process logging on to someone else's server.
    const opened: string[] = [];
    const spy = {
      ...lib,
      fn: new Proxy(lib.fn, {
        get: (target, name) =>
          name === 'FwpmGetAppIdFromFileName0'
            ? (path: string, out: unknown[]) => {
                opened.push(path);
                return (target as Record<string, (...a: unknown[]) => unknown>)[name]!(path, out);
              }
            : (target as Record<string | symbol, unknown>)[name],
      }),
    } as typeof lib;
    sim.mapDrive('Z:', '\\Device\\LanmanRedirector\\;Z:0000000000012345\\attacker\\share');
    const m = createPathMapper(spy);
    m.refresh();
    try {
      const refusals: [string, RegExp][] = [
        ['\\\\attacker\\share\\x.exe', /not a path on a drive letter/],
        ['\\\\?\\UNC\\attacker\\share\\x.exe', /not a path on a drive letter/],
        ['\\\\?\\GLOBALROOT\\Device\\Mup\\attacker\\x.exe', /not a path on a drive letter/],
        ['\\\\.\\pipe\\x', /not a path on a drive letter/],
        ['Z:\\x.exe', /network drive/],
        ['Q:\\x.exe', /drive Q: is not present/],
        ['C:\\a.exe\0C:\\b.exe', /NUL/],
      ];
      for (const [path, reason] of refusals) expect(() => m.appIdBlobFor(path), path).toThrow(reason);
      m.appIdBlobFor('C:\\Apps\\tool.exe');
      expect(opened).toEqual([]);
    } finally {
      sim.mapDrive('Z:', null);
    }
  });

  it('the kernel gets the id "System"', () => {
    expect(Buffer.from(createPathMapper(lib).appIdBlobFor('System')).toString('utf16le')).toBe('System\0');
  });
});
