export function extractPackage(tarball: string, target: string): void;
export function ensureKoffiPackage(
  projectDir: string,
  platform: string,
  arch: string,
  log?: (message: string) => void,
): { name: string; action: 'present' | 'fetched'; path: string };
export default function beforePack(context: unknown): Promise<void>;
