// The sizes people meet the windows at, read from the code that creates them (electron/main), so a change there
// changes what the tests check. BrowserWindow's width and height are the outer size (useContentSize is false), so
// the page gets less: the Windows 10/11 frame at 100% scaling takes 8 px left, right and bottom (SM_CXSIZEFRAME +
// SM_CXPADDEDBORDER) and a 31 px caption (SM_CYCAPTION + the top frame). The tests render at that content size.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../harness/index';

export interface WindowSize {
  readonly name: string;
  readonly width: number;
  readonly height: number;
}

const FRAME_X = 16;
const FRAME_Y = 39;

function optionsOf(file: string): Record<string, number> {
  const text = readFileSync(join(repoRoot, 'electron/main', file), 'utf8');
  const out: Record<string, number> = {};
  for (const key of ['width', 'height', 'minWidth', 'minHeight']) {
    // `width: 1200` in the options, or a named constant (`PROMPT_WIDTH = 440`) they use.
    const constant = key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();
    const match = new RegExp(`\\b${key}:\\s*(\\d+)`).exec(text) ?? new RegExp(`_${constant}\\s*=\\s*(\\d+)`).exec(text);
    if (match) out[key] = Number(match[1]);
  }
  return out;
}

function content(name: string, width: number | undefined, height: number | undefined): WindowSize {
  if (width === undefined || height === undefined) throw new Error(`no ${name} size found in electron/main`);
  return { name, width: width - FRAME_X, height: height - FRAME_Y };
}

const main = optionsOf('main-window.ts');
const prompt = optionsOf('prompt-window.ts');

export const MAIN_SIZES: readonly WindowSize[] = [
  content(`default ${main.width}x${main.height}`, main.width, main.height),
  content(`minimum ${main.minWidth}x${main.minHeight}`, main.minWidth, main.minHeight),
  content('900x600', 900, 600),
  // Maximized on a 1920x1080 screen at 100 %: no side frame, the caption, and the taskbar's 48 px (Windows 11).
  { name: 'maximized on 1920x1080', width: 1920, height: 1080 - 48 - 31 },
];

export const PROMPT_SIZE: WindowSize = content(`prompt ${prompt.width}x${prompt.height}`, prompt.width, prompt.height);
