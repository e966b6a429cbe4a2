// Gives Wine's real drive table the simulator's Linux defaults (C: and D:), so the native suite's expectations
// hold while every drive lookup, ours and the simulator DLL's, goes through kernel32's QueryDosDeviceW.
// The change lives in the wineserver of the lane's private prefix; teardown puts the previous table back.
import { queryDrive, setDrive } from './dos-devices.js';

export const LANE_DRIVES: Readonly<Record<string, string>> = {
  'C:': '\\Device\\HarddiskVolume3',
  'D:': '\\Device\\HarddiskVolume4',
};

export default function setup(): () => void {
  const previous = new Map<string, string | null>();
  for (const [drive, device] of Object.entries(LANE_DRIVES)) {
    previous.set(drive, queryDrive(drive) ?? null);
    setDrive(drive, device);
  }
  return () => {
    for (const [drive, device] of previous) setDrive(drive, device);
  };
}
