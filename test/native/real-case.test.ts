// Paths in their real case through koffi into the simulator's FindFirstFileW (native/sim/src/files.c); under Wine,
// test/wine/real-case.test.ts asks Wine's own kernel32 the same way.
import { beforeEach, describe, expect, it } from 'vitest';
import koffi from 'koffi';
import { loadFiles, realCasePath } from '../../native/files/real-case.js';
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
});
