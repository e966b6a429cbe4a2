// Real-case paths for display: looked up once per program, off the event path; the app is republished when found.
import { describe, expect, it } from 'vitest';
import { RealCasePaths } from '../../../electron/core/enrichment/real-case';
import { ManualTime } from './support/manual-time';

describe('paths shown in their real case', () => {
  it('looks a program up once, after the event, and republishes its apps', async () => {
    const time = new ManualTime();
    const asked: string[] = [];
    const republished: string[][] = [];
    const real = new RealCasePaths(
      (p) => {
        asked.push(p);
        return Promise.resolve(p === 'c:\\apps\\tool.exe' ? 'C:\\Apps\\Tool.exe' : undefined);
      },
      time,
      time,
      (apps) => republished.push([...apps]),
    );
    for (let i = 0; i < 100; i++) real.request('c:\\apps\\tool.exe', 'path:c:\\apps\\tool.exe');
    expect(asked).toEqual([]);
    time.advance(0);
    for (let i = 0; i < 10; i++) await Promise.resolve();
    expect(asked).toEqual(['c:\\apps\\tool.exe']);
    expect(real.of('C:\\APPS\\TOOL.EXE')).toBe('C:\\Apps\\Tool.exe');
    expect(republished).toEqual([['path:c:\\apps\\tool.exe']]);
    real.request('c:\\apps\\tool.exe', 'path:c:\\apps\\tool.exe');
    real.request('c:\\gone\\x.exe', 'path:c:\\gone\\x.exe');
    // Lookups start in rounds, five a second at most.
    time.advance(199);
    for (let i = 0; i < 10; i++) await Promise.resolve();
    expect(asked).toEqual(['c:\\apps\\tool.exe']);
    time.advance(1);
    for (let i = 0; i < 10; i++) await Promise.resolve();
    expect(asked).toEqual(['c:\\apps\\tool.exe', 'c:\\gone\\x.exe']);
    expect(real.of('c:\\gone\\x.exe')).toBeUndefined();
  });

  it('a lookup that fails (its call did not return, lookups paused) is asked again, not remembered as no answer', async () => {
    const time = new ManualTime();
    let refuse = true;
    const republished: string[][] = [];
    const real = new RealCasePaths(
      () => (refuse ? Promise.reject(new Error('file lookups paused')) : Promise.resolve('C:\\Apps\\Tool.exe')),
      time,
      time,
      (apps) => republished.push([...apps]),
    );
    const settle = async () => {
      for (let i = 0; i < 10; i++) await Promise.resolve();
    };
    expect(real.request('c:\\apps\\tool.exe', 'path:tool')).toBe(0);
    time.advance(0);
    await settle();
    expect(real.of('c:\\apps\\tool.exe')).toBeUndefined();
    refuse = false;
    expect(real.request('c:\\apps\\tool.exe', 'path:tool')).toBe(0);
    time.advance(200);
    await settle();
    expect(real.of('c:\\apps\\tool.exe')).toBe('C:\\Apps\\Tool.exe');
    expect(republished).toEqual([['path:tool']]);
    expect(real.request('c:\\apps\\tool.exe', 'path:tool')).toBe(Infinity);
  });
});
