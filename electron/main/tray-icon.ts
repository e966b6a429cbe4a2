// The tray icon drawn in code: a portcullis grille on a square whose colour is the mode, with an orange dot when
// decisions are waiting. Drawn rather than shipped as files so every mode/pending combination exists at every size.
import type { Mode } from '../core/model';

type Rgb = readonly [number, number, number];

export const MODE_COLOURS: Record<Mode, Rgb> = {
  enforce: [0xc6, 0x28, 0x28],
  monitor: [0x15, 0x65, 0xc0],
  learning: [0xb2, 0x6a, 0x00],
  off: [0x75, 0x75, 0x75],
};
export const PENDING_COLOUR: Rgb = [0xff, 0x8f, 0x00];
const WHITE: Rgb = [0xff, 0xff, 0xff];

/** size x size pixels, 4 bytes each in B, G, R, A order (what nativeImage.createFromBitmap expects). */
export function trayIconBitmap(mode: Mode, pending: boolean, size = 32): Buffer {
  const bitmap = Buffer.alloc(size * size * 4);
  const put = (x: number, y: number, [r, g, b]: Rgb): void => {
    const i = (y * size + x) * 4;
    bitmap[i] = b;
    bitmap[i + 1] = g;
    bitmap[i + 2] = r;
    bitmap[i + 3] = 0xff;
  };
  const unit = size / 16;
  const inset = Math.round(unit);
  const bar = Math.max(1, Math.round(unit));
  for (let y = inset; y < size - inset; y++) {
    for (let x = inset; x < size - inset; x++) {
      const gx = x - inset;
      const gy = y - inset;
      const inner = size - 2 * inset;
      const verticalBar = gx % Math.round(inner / 4) < bar && gx > bar && gx < inner - bar;
      const horizontalBar = gy % Math.round(inner / 3) < bar && gy > bar && gy < inner - bar;
      put(x, y, verticalBar || horizontalBar ? WHITE : MODE_COLOURS[mode]);
    }
  }
  if (pending) {
    const radius = size * 0.22;
    const cx = size - radius - 0.5;
    const cy = radius + 0.5;
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const d = Math.hypot(x - cx, y - cy);
        if (d <= radius) put(x, y, PENDING_COLOUR);
        else if (d <= radius + unit) put(x, y, WHITE);
      }
    }
  }
  return bitmap;
}
