// Where the elevated app writes the task definition schtasks.exe reads: only under the Windows folder, whose Temp
// gives files an elevated process creates to the Administrators group.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { systemTempFileWriter } from '../../../electron/core/autostart/node-runner';

describe('the task definition file', () => {
  it('is written in a new folder under the Windows folder, and removed with it', async () => {
    const root = mkdtempSync(join(tmpdir(), 'portcullis-windows-'));
    mkdirSync(join(root, 'Temp'));
    const file = await systemTempFileWriter(root)('task.xml', Buffer.from('<Task/>'));
    expect(file.path.startsWith(join(root, 'Temp', 'portcullis-'))).toBe(true);
    expect(readFileSync(file.path, 'utf8')).toBe('<Task/>');
    await file.remove();
    expect(readdirSync(join(root, 'Temp'))).toEqual([]);
  });

  it('is never written where the user can swap it: without the Windows Temp folder, nothing is changed', async () => {
    const root = mkdtempSync(join(tmpdir(), 'portcullis-windows-'));
    const before = readdirSync(tmpdir()).filter(
      (name) => name.startsWith('portcullis-') && !name.startsWith('portcullis-windows-'),
    );
    await expect(systemTempFileWriter(root)('task.xml', Buffer.from('<Task/>'))).rejects.toThrow(
      /^Could not create a folder in .*Temp for the task definition .*; start with Windows was not changed\.$/,
    );
    const after = readdirSync(tmpdir()).filter(
      (name) => name.startsWith('portcullis-') && !name.startsWith('portcullis-windows-'),
    );
    expect(after.filter((name) => !before.includes(name) && existsSync(join(tmpdir(), name, 'task.xml')))).toEqual([]);
  });
});
