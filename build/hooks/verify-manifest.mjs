// electron-builder afterSign hook: the packaged Portcullis.exe must ask Windows for an administrator token
// (requestedExecutionLevel level="requireAdministrator"). electron-builder 26 patches Electron's manifest with
// resedit and only logs a warning when the node is missing (app-builder-lib out/util/resEdit.js), which would ship
// an exe that starts without elevation and fails at its first WFP call. Here the build fails instead.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NtExecutable, NtExecutableResource } from 'resedit';

const RT_MANIFEST = 24;

/** The execution level a manifest asks for, or undefined when it has no requestedExecutionLevel node. */
export function executionLevel(manifestXml) {
  return /<requestedExecutionLevel\b[^>]*\blevel\s*=\s*["']([^"']+)["']/i.exec(manifestXml)?.[1];
}

/** The application manifest (RT_MANIFEST, id 1) embedded in an .exe. */
export function embeddedManifest(exeBytes) {
  const exe = NtExecutable.from(exeBytes, { ignoreCert: true });
  const entry = NtExecutableResource.from(exe).entries.find((e) => e.type === RT_MANIFEST && e.id === 1);
  return entry ? Buffer.from(entry.bin).toString('utf8') : undefined;
}

export function checkManifest(manifestXml, file, wanted = 'requireAdministrator') {
  if (manifestXml === undefined) throw new Error(`${file} has no application manifest (RT_MANIFEST 1).`);
  const level = executionLevel(manifestXml);
  if (level !== wanted) {
    throw new Error(
      `${file} asks for requestedExecutionLevel ${level ?? '(none: the node is missing)'}, not ${wanted}; ` +
        'Windows would start it without administrator rights. Check win.requestedExecutionLevel and the Electron manifest.',
    );
  }
}

export default async function afterSign(context) {
  if (context.electronPlatformName !== 'win32') return;
  const file = join(context.appOutDir, `${context.packager.appInfo.productFilename}.exe`);
  checkManifest(embeddedManifest(readFileSync(file)), file);
}
