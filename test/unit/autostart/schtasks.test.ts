import { describe, expect, it } from 'vitest';
import { AUTOSTART_ARG, AUTOSTART_TASK_NAME } from '../../../electron/core/app-identity';
import {
  Autostart,
  AutostartError,
  type ProcessResult,
  type ProcessRunner,
  type TempFileWriter,
} from '../../../electron/core/autostart/schtasks';
import { buildTaskXml, parseTaskXml, quoteWindowsArg } from '../../../electron/core/autostart/task-xml';

const SCHTASKS = 'C:\\Windows\\System32\\schtasks.exe';
/** The person at the desktop, as the Windows API reports it (UTF-16, so the name arrives intact). */
const SIGNED_IN = { name: 'DESKTOP-7\\José Müller', sid: 'S-1-5-21-1004336348-1177238915-682003330-1001' };
const signedInUser = () => SIGNED_IN;
const EXE = 'C:\\Program Files\\Portcullis App\\Portcullis.exe';
const TEMP_XML = 'C:\\Users\\Ann Lee\\AppData\\Local\\Temp\\portcullis-x1\\portcullis-autostart.xml';

/** CommandLineToArgvW's rules, to check that our quoting survives the trip through a command line. */
function parseWindowsCommandLine(line: string): string[] {
  const args: string[] = [];
  let i = 0;
  while (i < line.length) {
    while (line[i] === ' ' || line[i] === '\t') i++;
    if (i >= line.length) break;
    let arg = '';
    let quoted = false;
    for (; i < line.length; i++) {
      const ch = line[i];
      if (!quoted && (ch === ' ' || ch === '\t')) break;
      if (ch === '\\') {
        let n = 0;
        while (line[i] === '\\') {
          n++;
          i++;
        }
        if (line[i] === '"') {
          arg += '\\'.repeat(Math.floor(n / 2));
          if (n % 2 === 1) arg += '"';
          else quoted = !quoted;
        } else {
          arg += '\\'.repeat(n);
          i--;
        }
      } else if (ch === '"') {
        quoted = !quoted;
      } else {
        arg += ch;
      }
    }
    args.push(arg);
  }
  return args;
}

interface Call {
  readonly file: string;
  readonly args: readonly string[];
}

/** An in-memory Task Scheduler behind a fake schtasks.exe, with its files kept by a fake temp writer. */
function fakeWindows(options: { denyCreate?: boolean; alterOnCreate?: (xml: string) => string } = {}) {
  const files = new Map<string, Uint8Array>();
  const tasks = new Map<string, string>();
  const calls: Call[] = [];
  const ok = (stdout = ''): ProcessResult => ({ code: 0, stdout, stderr: '' });
  const fail = (stderr: string): ProcessResult => ({ code: 1, stdout: '', stderr });

  const run: ProcessRunner = async (file, args) => {
    calls.push({ file, args: [...args] });
    if (file !== SCHTASKS) return fail(`not found: ${file}`);
    const [verb, ...rest] = args;
    const name = rest[rest.indexOf('/TN') + 1]?.replace(/^\\/, '').toLowerCase() ?? '';
    if (verb === '/Create') {
      if (options.denyCreate) return fail('ERROR: Access is denied.');
      const bytes = files.get(rest[rest.indexOf('/XML') + 1] ?? '');
      if (!bytes) return fail('ERROR: The system cannot find the file specified.');
      const buf = Buffer.from(bytes);
      if (buf[0] !== 0xff || buf[1] !== 0xfe) return fail('ERROR: not UTF-16LE');
      const xml = buf.subarray(2).toString('utf16le');
      tasks.set(name, options.alterOnCreate ? options.alterOnCreate(xml) : xml);
      return ok(`SUCCESS: The scheduled task "${name}" has successfully been created.`);
    }
    if (verb === '/Query' && rest.includes('/XML')) {
      const xml = tasks.get(name);
      return xml ? ok(xml) : fail('ERROR: The system cannot find the file specified.');
    }
    if (verb === '/Query') {
      const lines = ['"\\Microsoft\\Windows\\Defrag\\ScheduledDefrag","N/A","Ready"'];
      for (const task of tasks.keys()) lines.push(`"\\${task}","N/A","Ready"`);
      return ok(lines.join('\r\n'));
    }
    if (verb === '/Delete') {
      if (!tasks.delete(name)) return fail('ERROR: The system cannot find the file specified.');
      return ok(`SUCCESS: The scheduled task "${name}" was successfully deleted.`);
    }
    return fail('ERROR: Invalid syntax.');
  };
  const writeTempFile: TempFileWriter = async (_name, content) => {
    files.set(TEMP_XML, content);
    return {
      path: TEMP_XML,
      remove: async () => {
        files.delete(TEMP_XML);
      },
    };
  };
  return { run, writeTempFile, calls, tasks, files };
}

describe('autostart through schtasks.exe', () => {
  it('registers a logon task that runs the app elevated, with the path given as one argument each', async () => {
    const win = fakeWindows();
    const autostart = new Autostart({
      run: win.run,
      writeTempFile: win.writeTempFile,
      signedInUser,
      systemRoot: 'C:\\Windows',
    });
    const state = await autostart.enable({ exePath: EXE });

    expect(state).toEqual({
      registered: true,
      enabled: true,
      command: EXE,
      arguments: AUTOSTART_ARG,
      elevated: true,
      matches: true,
    });
    const create = win.calls.find((c) => c.args[0] === '/Create');
    // Called by absolute path (an elevated process must not search PATH), arguments unquoted: the runner passes
    // each element as one argv entry, so the temp path with spaces stays whole.
    expect(create).toEqual({ file: SCHTASKS, args: ['/Create', '/TN', AUTOSTART_TASK_NAME, '/XML', TEMP_XML, '/F'] });
    // The definition file is gone once the task exists.
    expect(win.files.size).toBe(0);
  });

  it('writes a definition with highest privileges, interactive logon, and no battery or time limits', async () => {
    const win = fakeWindows();
    await new Autostart({
      run: win.run,
      writeTempFile: win.writeTempFile,
      signedInUser,
      systemRoot: 'C:\\Windows',
    }).enable({ exePath: EXE });
    const xml = win.tasks.get(AUTOSTART_TASK_NAME.toLowerCase()) ?? '';

    expect(xml).toContain('<RunLevel>HighestAvailable</RunLevel>');
    expect(xml).toContain('<LogonType>InteractiveToken</LogonType>');
    // Both UserId elements carry the SID: no account name, so no code page can turn José into Jos\uFFFD.
    expect(xml.match(/<UserId>[^<]*<\/UserId>/g)).toEqual([
      `<UserId>${SIGNED_IN.sid}</UserId>`,
      `<UserId>${SIGNED_IN.sid}</UserId>`,
    ]);
    expect(xml).toMatch(/<LogonTrigger>[\s\S]*<UserId>S-1-5-21-[\d-]+<\/UserId>[\s\S]*<\/LogonTrigger>/);
    // The name appears only in the description, written as UTF-16 from the API's UTF-16 string.
    expect(xml).toContain('when DESKTOP-7\\José Müller signs in');
    expect(xml).not.toContain('\uFFFD');
    expect(xml).toContain('<DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>');
    expect(xml).toContain('<StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>');
    expect(xml).toContain('<ExecutionTimeLimit>PT0S</ExecutionTimeLimit>');
    expect(xml).toContain('<AllowStartOnDemand>false</AllowStartOnDemand>');
    // The executable is quoted for its spaces; the command line it yields is exactly that one path.
    expect(xml).toContain('<Command>&#34;C:\\Program Files\\Portcullis App\\Portcullis.exe&#34;</Command>');
    expect(xml).toContain(`<Arguments>${AUTOSTART_ARG}</Arguments>`);
  });

  it('quotes paths and arguments so that Windows parses them back unchanged', () => {
    const samples = [
      EXE,
      'C:\\Tools\\portcullis.exe',
      'C:\\dir with space\\',
      'say "hi"',
      'C:\\a\\\\"b',
      '',
      '--hidden',
    ];
    for (const sample of samples) {
      expect(parseWindowsCommandLine(quoteWindowsArg(sample))).toEqual([sample]);
    }
    expect(quoteWindowsArg(EXE)).toBe(`"${EXE}"`);
    expect(quoteWindowsArg('--hidden')).toBe('--hidden');

    const xml = buildTaskXml({
      command: 'C:\\Tools & Co\\<Portcullis>\\Portcullis.exe',
      args: ['--hidden', 'C:\\data dir\\'],
      userSid: 'S-1-5-21-1-2-3-1001',
      description: 'x',
      delaySeconds: 5,
    });
    const summary = parseTaskXml(xml);
    expect(summary.command).toBe('C:\\Tools & Co\\<Portcullis>\\Portcullis.exe');
    expect(parseWindowsCommandLine(summary.arguments ?? '')).toEqual(['--hidden', 'C:\\data dir\\']);
    expect(xml).not.toMatch(/Tools & Co/);
  });

  it('reports a stale task when the app now lives elsewhere', async () => {
    const win = fakeWindows();
    const autostart = new Autostart({
      run: win.run,
      writeTempFile: win.writeTempFile,
      signedInUser,
      systemRoot: 'C:\\Windows',
    });
    await autostart.enable({ exePath: EXE });
    const moved = await autostart.query('D:\\Apps\\Portcullis\\Portcullis.exe');
    expect(moved).toMatchObject({ registered: true, matches: false, command: EXE });
    // Windows compares paths without regard to case.
    expect(await autostart.query(EXE.toUpperCase())).toMatchObject({ matches: true });
  });

  it('removes the task, and treats an absent task as already removed', async () => {
    const win = fakeWindows();
    const autostart = new Autostart({
      run: win.run,
      writeTempFile: win.writeTempFile,
      signedInUser,
      systemRoot: 'C:\\Windows',
    });
    await autostart.disable();
    expect(win.calls.some((c) => c.args[0] === '/Delete')).toBe(false);

    await autostart.enable({ exePath: EXE });
    await autostart.disable();
    expect(win.calls.filter((c) => c.args[0] === '/Delete')).toEqual([
      { file: SCHTASKS, args: ['/Delete', '/TN', AUTOSTART_TASK_NAME, '/F'] },
    ]);
    expect(await autostart.query(EXE)).toEqual({ registered: false });
  });

  it('removes a task whose registered definition is not the one written', async () => {
    const win = fakeWindows({
      alterOnCreate: (xml) =>
        xml.replace(/<Command>[^<]*<\/Command>/, '<Command>C:\\Users\\Public\\evil.exe</Command>'),
    });
    const autostart = new Autostart({
      run: win.run,
      writeTempFile: win.writeTempFile,
      signedInUser,
      systemRoot: 'C:\\Windows',
    });
    await expect(autostart.enable({ exePath: EXE })).rejects.toThrow(/different definition.*removed/);
    expect(win.tasks.size).toBe(0);
  });

  it('removes a task that gained a second action or a working folder on its way to Task Scheduler', async () => {
    const tampered = [
      (xml: string) => xml.replace('</Exec>', '</Exec><Exec><Command>C:\\Users\\Public\\evil.exe</Command></Exec>'),
      (xml: string) =>
        xml.replace('</Arguments>', '</Arguments><WorkingDirectory>C:\\Users\\Public</WorkingDirectory>'),
    ];
    for (const alterOnCreate of tampered) {
      const win = fakeWindows({ alterOnCreate });
      const autostart = new Autostart({
        run: win.run,
        writeTempFile: win.writeTempFile,
        signedInUser,
        systemRoot: 'C:\\Windows',
      });
      await expect(autostart.enable({ exePath: EXE })).rejects.toThrow(/different definition.*removed/);
      expect(win.tasks.size).toBe(0);
    }
  });

  it('explains a refusal and cleans up its file', async () => {
    const win = fakeWindows({ denyCreate: true });
    const autostart = new Autostart({
      run: win.run,
      writeTempFile: win.writeTempFile,
      signedInUser,
      systemRoot: 'C:\\Windows',
    });
    const error = await autostart.enable({ exePath: EXE }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AutostartError);
    expect((error as Error).message).toMatch(/schtasks\.exe exited with 1: ERROR: Access is denied\./);
    expect((error as Error).message).toMatch(/administrator/);
    expect(win.files.size).toBe(0);
  });

  it('refuses paths that are not an absolute .exe', async () => {
    const win = fakeWindows();
    const autostart = new Autostart({
      run: win.run,
      writeTempFile: win.writeTempFile,
      signedInUser,
      systemRoot: 'C:\\Windows',
    });
    for (const bad of [
      'Portcullis.exe',
      'C:\\Apps\\Portcullis.exe" --evil',
      'C:\\Apps\\run.bat',
      '/usr/bin/portcullis',
    ]) {
      await expect(autostart.enable({ exePath: bad })).rejects.toThrow(/absolute path of an \.exe/);
    }
    expect(win.calls).toEqual([]);
  });

  it('uses the Windows folder it is given', async () => {
    const win = fakeWindows();
    const calls: string[] = [];
    const autostart = new Autostart({
      run: async (file, args) => {
        calls.push(file);
        return win.run(file.replace('D:\\WINNT', 'C:\\Windows'), args);
      },
      writeTempFile: win.writeTempFile,
      signedInUser,
      systemRoot: 'D:\\WINNT\\',
    });
    await autostart.enable({ exePath: EXE });
    expect(new Set(calls)).toEqual(new Set(['D:\\WINNT\\System32\\schtasks.exe']));
  });

  it('registers the task for the account at the desktop, not the token of "Run as" with other credentials', async () => {
    const win = fakeWindows();
    // The elevated token belongs to DESKTOP-7\admin (S-1-5-21-...-500); the person signed in is José.
    const autostart = new Autostart({
      run: win.run,
      writeTempFile: win.writeTempFile,
      signedInUser,
      systemRoot: 'C:\\Windows',
    });
    await autostart.enable({ exePath: EXE });
    const xml = win.tasks.get(AUTOSTART_TASK_NAME.toLowerCase()) ?? '';
    expect(xml).toContain(SIGNED_IN.sid);
    expect(xml).not.toContain('-500<');
    // No console tool is asked who the user is.
    expect(win.calls.every((c) => c.file === SCHTASKS)).toBe(true);
  });

  it('refuses to register when the account cannot be read, or is not a SID', async () => {
    const win = fakeWindows();
    const failing = new Autostart({
      run: win.run,
      writeTempFile: win.writeTempFile,
      signedInUser: () => {
        throw new Error('WTSQuerySessionInformationW failed (error 5)');
      },
      systemRoot: 'C:\\Windows',
    });
    await expect(failing.enable({ exePath: EXE })).rejects.toThrow(/who is signed in.*error 5/);
    const garbled = new Autostart({
      run: win.run,
      writeTempFile: win.writeTempFile,
      signedInUser: () => ({ name: 'x', sid: 'Jos\uFFFD' }),
      systemRoot: 'C:\\Windows',
    });
    await expect(garbled.enable({ exePath: EXE })).rejects.toThrow(/not a Windows account SID/);
    expect(win.tasks.size).toBe(0);
  });
});
