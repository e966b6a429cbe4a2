// The windows' V8 young generation, kept small. A window keeps much of what each delta batch brings (rows, log
// entries, their search text): about half of what a batch allocates is still alive at the next young-generation
// collection, and a scavenge's pause grows with what survives, not with what died. With V8's own sizing the main
// window's young generation grew to 16 MB and each scavenge held the page for 16-22 ms, a frame and more, once
// every 30 batches of a flood; with semi-spaces of 2 MB the scavenges come every few batches and take 2.5 ms (median,
// 10 at most), in Chromium's devtools.timeline trace of 200 batches at 10,000 apps (docs/benchmarks.md, History,
// "The windows' young generation kept small").
//
// The flag: V8's max_semi_space_size, "max size of a semi-space (in MBytes), the new space consists of two
// semi-spaces" (src/flags/flag-definitions.h). It reaches the pages through Chromium's --js-flags switch
// (docs/api/command-line-switches.md); appended with app.commandLine.appendSwitch before 'ready' it is handed to
// the renderer processes Chromium starts afterwards and not to the main process, whose V8 is already running
// (docs/api/command-line-switches.md: "It has to be passed when starting Electron if you want to enable the flags
// in the main process"; electron-userland/electron-builder#3781). The installed app refuses a --js-flags of anyone
// else's on its own command line (hardening.ts), so this is the only one its pages run with.
//
// The test harness starts Chromium with the same flags (test/e2e/harness/chromium.ts), so the end-to-end tests and
// the renderer benchmark run the pages as the app runs them.
import type { AppLike } from './deps';

export const RENDERER_JS_FLAGS = '--max-semi-space-size=2';

/** Before 'ready': the renderer processes take Chromium's command line as it is when they start. */
export function sizeRendererYoungGeneration(app: Pick<AppLike, 'commandLine'>): void {
  app.commandLine.appendSwitch('js-flags', RENDERER_JS_FLAGS);
}
