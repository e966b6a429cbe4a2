// Where our small windows appear: on the display the user is working on (the one under the mouse pointer,
// screen.getDisplayNearestPoint(screen.getCursorScreenPoint())), inside its work area (never under the taskbar).
// Electron otherwise centres a new window on the primary display, which may be a screen nobody is looking at.
import type { Rect } from './deps';

/** A window of this size centred in the work area, shrunk to fit it. */
export function centredIn(area: Rect, width: number, height: number): Rect {
  const w = Math.min(width, area.width);
  const h = Math.min(height, area.height);
  return {
    x: Math.round(area.x + (area.width - w) / 2),
    y: Math.round(area.y + (area.height - h) / 2),
    width: w,
    height: h,
  };
}

/** A window of this size in the bottom-right corner of the work area, where Windows shows its own notifications. */
export function cornerOf(area: Rect, width: number, height: number, margin = 12): Rect {
  const w = Math.min(width, area.width - 2 * margin);
  const h = Math.min(height, area.height - 2 * margin);
  return { x: area.x + area.width - w - margin, y: area.y + area.height - h - margin, width: w, height: h };
}
