// Path mapping through the real kernel32 of Windows (Wine's, in the Windows ABI lane): the drive table is read
// with QueryDosDeviceW, and the simulator DLL builds its application ids from the same table.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WfpEngine } from '../../native/engine.js';
import { createFilterManager } from '../../native/filters.js';
import { createPathMapper } from '../../native/paths.js';
import { collect, simulator, waitFor } from '../native/helpers.js';
import { queryDrive, setDrive } from './dos-devices.js';
import { LANE_DRIVES } from './global-setup.js';

const { sim, lib } = simulator();
const SPARE_DRIVE = 'P:';
const SPARE_DEVICE = '\\Device\\HarddiskVolume17';

describe('drive letters from the real kernel32', () => {
  beforeAll(() => {
    if (queryDrive(SPARE_DRIVE) !== undefined) throw new Error(`${SPARE_DRIVE} is already mapped in this Wine prefix`);
  });
  afterEach(() => setDrive(SPARE_DRIVE, null));

  it('the simulator DLL provides WFP only: QueryDosDeviceW is bound from kernel32.dll', () => {
    expect(lib.backend).toBe('simulator');
    expect(lib.path.toLowerCase()).toMatch(/\.dll$/);
    expect(lib.exported.has('QueryDosDeviceW')).toBe(true);
  });

  it("reads Wine's own root drive and the lane's drives, and round-trips a real file's path", () => {
    const m = createPathMapper(lib);
    m.refresh();
    for (const [drive, device] of Object.entries(LANE_DRIVES)) expect(m.drives.get(drive)).toBe(device.toLowerCase());
    // Wine maps the Linux root to Z:; its device name is Wine's choice, read here without the mapper.
    const root = queryDrive('Z:');
    expect(root).toMatch(/^\\Device\\/i);
    expect(m.drives.get('Z:')).toBe(root!.toLowerCase());
    const file = `${process.cwd()}\\package.json`;
    expect(file).toMatch(/^Z:\\/i);
    const nt = m.dosToNt(file);
    expect(nt).toBe(`${root!.toLowerCase()}${file.slice(2)}`);
    expect(m.ntToDos(nt!.toLowerCase())).toBe(`Z:${file.slice(2).toLowerCase()}`);
  });

  it('sees a drive defined with DefineDosDeviceW after refresh, and forgets it once removed', () => {
    const m = createPathMapper(lib);
    setDrive(SPARE_DRIVE, SPARE_DEVICE);
    m.refresh();
    expect(m.drives.get(SPARE_DRIVE)).toBe(SPARE_DEVICE.toLowerCase());
    expect(m.ntToDos('\\device\\harddiskvolume17\\tools\\a.exe')).toBe('P:\\tools\\a.exe');
    expect(m.ntToDos('\\device\\harddiskvolume170\\tools\\a.exe')).toBeUndefined();
    expect(m.dosToNt('p:\\Tools\\a.exe')).toBe('\\device\\harddiskvolume17\\Tools\\a.exe');
    setDrive(SPARE_DRIVE, null);
    m.refresh();
    expect(m.drives.has(SPARE_DRIVE)).toBe(false);
    expect(m.ntToDos('\\device\\harddiskvolume17\\tools\\a.exe')).toBeUndefined();
  });

  it('a block on a program of a newly defined drive: the DLL and native/ agree on its application id', async () => {
    setDrive(SPARE_DRIVE, SPARE_DEVICE);
    createPathMapper(lib).refresh();
    sim.reset();
    const engine = await WfpEngine.open(lib, { dynamic: false });
    const c = await collect(engine);
    try {
      const filters = createFilterManager(engine);
      await filters.ensureProviderAndSublayer();
      const appPath = 'P:\\Tools\\ünïcødé app.exe';
      const { added } = await filters.apply({
        add: [{ appPath, action: 'block', direction: 'out', name: 'Block it' }],
        remove: [],
      });
      const verdict = sim.connect({
        appPath,
        remoteAddress: '203.0.113.7',
        remotePort: 8443,
        protocol: 6,
        direction: 'out',
      });
      expect(verdict.action).toBe('block');
      expect(added[0]).toContain(verdict.filterId);
      await waitFor(() => c.events.length >= 1, 5000, 'the drop');
      expect(c.events[0]).toMatchObject({
        type: 'drop',
        filterId: verdict.filterId,
        appId: '\\device\\harddiskvolume17\\tools\\ünïcødé app.exe',
        appPath: 'P:\\tools\\ünïcødé app.exe',
        remoteAddress: '203.0.113.7',
        remotePort: 8443,
      });
    } finally {
      await c.subscription.stop();
      await createFilterManager(engine).removeAllOurs();
      await engine.close();
    }
  });
});
