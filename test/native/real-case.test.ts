// Paths in their real case through koffi into the simulator's FindFirstFileW (native/sim/src/files.c); under Wine,
// test/wine/real-case.test.ts asks Wine's own kernel32 the same way.
import { beforeEach, describe, expect, it } from 'vitest';
import koffi from 'koffi';
import { FolderCase, loadFiles, realCasePath, type FilesLibrary } from '../../native/files/real-case.js';
import { simulatorPath } from '../../native/loader.js';

const files = loadFiles();
const control = koffi.load(simulatorPath());
const addFile = control.func('sim_add_file', 'uint32_t', ['char16_t *']);
const reset = control.func('uint32_t sim_files_reset(void)');

describe('paths in their real case', () => {
  beforeEach(() => reset());

  it('turns the lower-case path WFP reports into the one written on disk, component by component', async () => {
    addFile('C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe');
    expect(await realCasePath('c:\\program files\\google\\chrome\\application\\chrome.exe', files)).toBe(
      'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
    );
  });

  it('gives nothing for a path that is not there, a wildcard, a relative or a network path', async () => {
    addFile('C:\\Tools\\Tool.exe');
    expect(await realCasePath('c:\\tools\\other.exe', files)).toBeUndefined();
    expect(await realCasePath('c:\\tools\\*.exe', files)).toBeUndefined();
    expect(await realCasePath('tools\\tool.exe', files)).toBeUndefined();
    expect(await realCasePath('\\\\server\\share\\tool.exe', files)).toBeUndefined();
    expect(await realCasePath('c:\\tools\\..\\tools\\tool.exe', files)).toBeUndefined();
  });

  it('asks again only for what a program beside others adds, and for its folders after a minute', async () => {
    addFile('C:\\Program Files\\Vendor\\One\\one.exe');
    addFile('C:\\Program Files\\Vendor\\Two\\two.exe');
    const asked: string[] = [];
    // The same kernel32 functions, each FindFirstFileW noted.
    const find = files.fn.FindFirstFileW;
    const counting: FilesLibrary = {
      fn: {
        ...files.fn,
        FindFirstFileW: Object.assign((...args: unknown[]) => find(...args), {
          async: (...args: unknown[]) => {
            asked.push(args[0] as string);
            return find.async(...args);
          },
        }) as typeof find,
      },
      folders: new FolderCase(),
    };
    const t = 1_000_000;
    expect(await realCasePath('c:\\program files\\vendor\\one\\one.exe', counting, t)).toBe(
      'C:\\Program Files\\Vendor\\One\\one.exe',
    );
    expect(asked).toHaveLength(4);
    asked.length = 0;
    expect(await realCasePath('c:\\program files\\vendor\\two\\two.exe', counting, t + 1_000)).toBe(
      'C:\\Program Files\\Vendor\\Two\\two.exe',
    );
    expect(asked).toEqual(['C:\\Program Files\\Vendor\\two', 'C:\\Program Files\\Vendor\\Two\\two.exe']);
    // A file that is not there below a remembered folder: looked for from the drive again before giving up.
    asked.length = 0;
    expect(await realCasePath('c:\\program files\\vendor\\one\\gone.exe', counting, t + 2_000)).toBeUndefined();
    expect(asked[0]).toBe('C:\\Program Files\\Vendor\\One\\gone.exe');
    expect(asked.at(-1)).toBe('C:\\Program Files\\Vendor\\One\\gone.exe');
    expect(asked).toHaveLength(5);
    // A minute on, the folders' case is looked up again (a folder renamed meanwhile shows its new case).
    asked.length = 0;
    await realCasePath('c:\\program files\\vendor\\two\\two.exe', counting, t + 70_000);
    expect(asked).toHaveLength(4);
  });
});
