// electron-builder configuration: the Windows installers (NSIS, x64 and arm64). `npm run dist` uses it; the unit
// tests in test/unit/build check it against electron-builder's schema and evaluate its file patterns.
import type { Configuration } from 'electron-builder';
import { APP_ID, PRODUCT_NAME } from '../electron/core/app-identity';

/** koffi loads its native module from these packages; they must sit outside app.asar to be loadable. */
export const KOFFI_NATIVE_PACKAGES = ['@koromix/koffi-win32-x64', '@koromix/koffi-win32-arm64'] as const;

/**
 * Code signing: electron-builder signs with the certificate named by WIN_CSC_LINK (or CSC_LINK), a .pfx path or
 * base64, and its password WIN_CSC_KEY_PASSWORD (CSC_KEY_PASSWORD), read from the build machine's environment; the
 * certificate never sits in the repository. Without one the build still runs, and every installer it produces says
 * "unsigned" in its file name, so it cannot be published by mistake.
 */
export function isSigned(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.WIN_CSC_LINK || env.CSC_LINK);
}

export function installerName(signed: boolean): string {
  return `\${productName}-Setup-\${version}-\${arch}${signed ? '' : '-unsigned'}.\${ext}`;
}

const config: Configuration = {
  appId: APP_ID,
  productName: PRODUCT_NAME,
  copyright: `Copyright © ${new Date().getFullYear()} ${PRODUCT_NAME}`,
  directories: { output: 'dist', buildResources: 'build' },

  // The app is what electron-vite built into out/; everything else in the repository stays out of the package.
  files: [
    'out/**/*',
    'package.json',
    '!**/{test,tests,__tests__}/**',
    '!**/*.{test,spec}.{js,mjs,cjs,ts,tsx}',
    '!**/*.{test,spec}.{js,mjs,cjs}.map',
    // The simulator stands in for fwpuclnt.dll in development only; a copy in the package would be a second WFP.
    '!**/native/sim/**',
    '!**/*wfpsim*',
    '!{bench,docs}/**',
    // koffi's optional packages for the build host's own platform (Linux, macOS, ...) are of no use on Windows.
    '!node_modules/@koromix/koffi-{linux,darwin,freebsd,openbsd,android}-*/**',
  ],
  // Outside app.asar so main can hand Windows a file path for the tray and notifications:
  // join(process.resourcesPath, 'icons', 'icon.ico').
  // `portcullis` for cmd and PowerShell: a batch file waits for the GUI-subsystem exe and returns its exit code.
  // In a folder of its own so that only this name, not every DLL of the app, joins the machine PATH.
  extraFiles: [{ from: 'build/cli/portcullis.cmd', to: 'bin/portcullis.cmd' }],
  extraResources: [
    { from: 'build/icons/icon.ico', to: 'icons/icon.ico' },
    { from: 'build/icons/icon.png', to: 'icons/icon.png' },
    // The event ring (native/batch), built for Windows x64 and arm64 by `npm run dist` before packaging;
    // native/batch/load.ts loads it only from here. arm64 needs clang, lld and llvm-dlltool on the build machine: a
    // build without them has no arm64 ring, and that package's app takes the per-event callback, which it reports.
    { from: 'native/batch/build/win32-${arch}/portcullis_events.dll', to: 'native/portcullis_events.dll' },
  ],
  asar: true,
  asarUnpack: ['node_modules/koffi/**', ...KOFFI_NATIVE_PACKAGES.map((name) => `node_modules/${name}/**`)],
  // koffi ships prebuilt Node-API modules, nothing is compiled for Electron; the beforePack hook fetches the
  // target architecture's package when npm skipped it on this host.
  npmRebuild: false,
  beforePack: './build/hooks/ensure-koffi-targets.mjs',
  afterSign: './build/hooks/verify-manifest.mjs',

  // Portcullis runs elevated and starts at logon without a prompt, so nothing outside the signed package may steer
  // its Node runtime: no ELECTRON_RUN_AS_NODE, no NODE_OPTIONS, no --inspect, and only the verified app.asar.
  electronFuses: {
    runAsNode: false,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    onlyLoadAppFromAsar: true,
    enableEmbeddedAsarIntegrityValidation: true,
    enableCookieEncryption: true,
    // Every page comes from the portcullis: scheme; file:// pages get no privileges beyond a browser's (Electron's
    // security checklist, "Avoid usage of the file:// protocol", and its fuses page).
    grantFileProtocolExtraPrivileges: false,
  },

  win: {
    target: [{ target: 'nsis', arch: ['x64', 'arm64'] }],
    icon: 'build/icons/icon.ico',
    executableName: PRODUCT_NAME,
    // WFP changes need an administrator token; asking once at start beats failing later.
    requestedExecutionLevel: 'requireAdministrator',
    legalTrademarks: PRODUCT_NAME,
    signtoolOptions: { signingHashAlgorithms: ['sha256'] },
    // A build with a certificate must sign every file it can; one without says so in its name (installerName).
    forceCodeSigning: isSigned(),
  },

  nsis: {
    oneClick: false,
    perMachine: true,
    allowElevation: true,
    // Program Files only: its ACL keeps programs without administrator rights from changing the elevated app's
    // code (app.asar.unpacked holds koffi's native module, which the asar integrity check does not cover). The app
    // refuses to start from anywhere else (electron/main/boot.ts).
    allowToChangeInstallationDirectory: false,
    // One installer per architecture: a combined one would carry both copies of Electron.
    buildUniversalInstaller: false,
    artifactName: installerName(isSigned()),
    installerIcon: 'build/icons/icon.ico',
    uninstallerIcon: 'build/icons/icon.ico',
    installerHeaderIcon: 'build/icons/icon.ico',
    createDesktopShortcut: true,
    createStartMenuShortcut: true,
    shortcutName: PRODUCT_NAME,
    uninstallDisplayName: PRODUCT_NAME,
    // The finish page would start the app through the unelevated shell (StdUtils.ExecShellAsUser in app-builder-lib's
    // NSIS templates), and requireAdministrator would then show a second UAC prompt; installer.nsh starts it from the
    // already elevated installer instead.
    runAfterFinish: false,
    // installer.nsh asks instead, and removes Portcullis' filters from WFP before the files go.
    deleteAppDataOnUninstall: false,
    include: 'build/installer.nsh',
  },
};

export default config;
