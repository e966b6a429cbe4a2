// A core that has seen realistic traffic: apps learned, then blocked in Enforce by Windows Defender Firewall and by
// Portcullis, a few decided, decisions pending. Shared by the screenshot and window-size tests.
import { attempt, until, type Desktop } from './desktop';

export const LEARNED = [
  ['C:\\Program Files\\Mozilla Firefox\\firefox.exe', '93.184.216.34', 443],
  ['C:\\Users\\ana\\AppData\\Local\\Discord\\app-1.0.9\\Discord.exe', '162.159.135.232', 443],
  ['C:\\Program Files (x86)\\Steam\\steam.exe', '23.62.19.12', 27015],
] as const;
export const BLOCKED = [
  ['C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe', '142.250.74.110', 443, 40],
  ['C:\\Program Files\\Microsoft OneDrive\\OneDrive.exe', '13.107.42.12', 443, 12],
  ['C:\\ProgramData\\Vendor\\Updater\\update.exe', '203.0.113.80', 80, 5],
  ['C:\\Windows\\System32\\svchost.exe', '20.190.160.1', 443, 9],
  ['C:\\Tools\\unknown-tool.exe', '198.51.100.66', 6667, 3],
] as const;

export async function playScene(desktop: Desktop): Promise<void> {
  const { core, sim } = desktop;
  await core.handlers['mode.set']({ mode: 'learning' });
  for (const [path, address, port] of LEARNED) sim.connectRepeat(attempt(path, address, port), 4);
  await until(() => core.snapshot().candidates.length >= LEARNED.length, 'learning candidates');
  await core.handlers['mode.set']({ mode: 'enforce' });
  for (const [path, address, port, count] of BLOCKED) sim.connectRepeat(attempt(path, address, port), count);
  await until(() => core.snapshot().decisions.length >= 3, 'pending decisions');
  const oneDrive = await until(
    () => core.snapshot().apps.find((a) => a.identity.path?.toLowerCase().endsWith('onedrive.exe')),
    'OneDrive in the app index',
  );
  await core.handlers['apps.decide']({ appKeys: [oneDrive.identity.key], decision: 'allow' });
  const updater = core.snapshot().apps.find((a) => a.identity.path?.toLowerCase().endsWith('update.exe'));
  if (updater) await core.handlers['apps.decide']({ appKeys: [updater.identity.key], decision: 'block' });
}
