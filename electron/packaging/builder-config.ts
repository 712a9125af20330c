/**
 * electron-builder configuration, as a pure function of the build flavor, so a test validates it
 * with electron-builder's own schema without building anything (test/unit/electron-packaging.test.ts).
 * `npm run dist` (dist.ts) passes it to electron-builder's API.
 *
 * For vendors: BRANDING is what names the installed app. The kiosk's chain, reader and center URL
 * are not build settings: they live in the kiosk's settings.json (README "For vendors").
 */
import type { Configuration } from 'electron-builder';

type FuseOptionsV1 = NonNullable<Configuration['electronFuses']>;

export const BRANDING = {
  /** Reverse-DNS id: the Windows AppUserModelID and the Linux desktop file name derive from it. */
  appId: 'jp.kiosk-sim.multicopier',
  productName: 'マルチコピー機シミュレータ',
  /** The binary's file name and the deb package name (ASCII). */
  executableName: 'kiosk-sim',
  /** Linux .deb maintainer field. */
  maintainer: 'kiosk-sim maintainers <kiosk-sim@example.invalid>',
  copyright: 'kiosk-sim contributors',
  /** Optional icon (a 512×512 PNG; nsis wants an .ico beside it): none by default, Electron's icon is used. */
  icon: undefined as string | undefined,
} as const;

/**
 * `production`: what a vendor installs. `test`: the same package with the inspect fuse left on,
 * because Playwright's _electron drives the app through the Node inspector.
 */
export type BuildFlavor = 'production' | 'test';

/** The Electron fuses (flipped in the packaged binary by electron-builder with @electron/fuses). */
export function fusesFor(flavor: BuildFlavor): Required<Omit<FuseOptionsV1, 'resetAdHocDarwinSignature'>> {
  return {
    // No "run as plain Node" through ELECTRON_RUN_AS_NODE: the binary cannot become a general Node.
    runAsNode: false,
    enableCookieEncryption: true,
    // NODE_OPTIONS / NODE_EXTRA_CA_CERTS cannot inject code or trust into the main process.
    enableNodeOptionsEnvironmentVariable: false,
    // --inspect and SIGUSR1 open no debugger in production; the test build needs it for Playwright.
    enableNodeCliInspectArguments: flavor === 'test',
    // Only our signed-off app.asar runs, validated where the platform supports it (Windows, macOS).
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    loadBrowserProcessSpecificV8Snapshot: false,
    // The renderer is served from app://, never file://: file pages get no extra privileges.
    grantFileProtocolExtraPrivileges: false,
  };
}

export interface BuilderConfigOptions {
  readonly flavor: BuildFlavor;
  /**
   * The per-runtime native builds for the target platform (node_modules/.electron-native/<tag>),
   * shipped as resources/native and loaded by electron/main/native-modules.ts.
   */
  readonly nativeDir: string;
  /** The unpacked Electron to package (the checkout's binary, for the host platform); else downloaded. */
  readonly electronDist?: string;
}

/** Debian packages the kiosk needs besides Electron's own (electron-builder's default list + PC/SC). */
export const DEB_DEPENDS = ['libgtk-3-0', 'libnotify4', 'libnss3', 'libxss1', 'libxtst6', 'xdg-utils', 'libatspi2.0-0', 'libuuid1', 'libsecret-1-0', 'pcscd', 'libpcsclite1'];

export function builderConfig(opts: BuilderConfigOptions): Configuration {
  return {
    appId: BRANDING.appId,
    productName: BRANDING.productName,
    executableName: BRANDING.executableName,
    copyright: BRANDING.copyright,
    ...(BRANDING.icon !== undefined && { icon: BRANDING.icon }),
    directories: { output: `out/dist/${opts.flavor}` },
    // The built shell and renderer (npm run build) and package.json; dependencies are added by
    // electron-builder (production ones only). The per-runtime modules' sources stay out. Their
    // Node-ABI builds stay IN: Node's loader checks that the .node file exists before it calls
    // dlopen, which native-modules.ts redirects to the Electron build in resources/native.
    files: ['out/main/**/*', 'out/preload/**/*', 'out/renderer/**/*', 'package.json', '!**/*.map', '!node_modules/pcsclite/src/**', '!node_modules/better-sqlite3/{deps,src}/**'],
    extraResources: [{ from: opts.nativeDir, to: 'native', filter: ['**/build/Release/*.node'] }],
    asar: true,
    // Never rebuild native modules in the checkout: that would break plain Node on it.
    npmRebuild: false,
    nodeGypRebuild: false,
    buildDependenciesFromSource: false,
    ...(opts.electronDist !== undefined && { electronDist: opts.electronDist }),
    electronFuses: fusesFor(opts.flavor),
    publish: null,
    linux: {
      target: ['AppImage', 'deb'],
      category: 'Utility',
      maintainer: BRANDING.maintainer,
      synopsis: 'Convenience-store multicopier simulator (My Number card password reset)',
      desktop: { entry: { Name: BRANDING.productName, Terminal: 'false' } },
    },
    deb: { depends: DEB_DEPENDS },
    win: { target: ['nsis'] },
    nsis: { oneClick: false, perMachine: true, allowToChangeInstallationDirectory: false, createDesktopShortcut: true },
  };
}
