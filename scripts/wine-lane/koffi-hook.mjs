// Loaded with --import (NODE_OPTIONS) by every Windows Node process of the Windows ABI lane: vitest, its workers
// and the child processes tests start. The repository's node_modules holds koffi's Linux binary only, so every
// import of koffi is sent to the copy in the lane's cache, which sits next to @koromix/koffi-win32-x64.
import { register } from 'node:module';

register('./koffi-resolve.mjs', import.meta.url);
