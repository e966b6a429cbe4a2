// What a user needs from a window at its size, checked in the page: nothing sticks out sideways, the actions that
// matter are on screen without scrolling, text is large enough to read; and axe-core's accessibility rules.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Locator, Page } from 'playwright-core';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Smallest font size, in CSS px, of any visible text. */
export const MIN_TEXT_PX = 12;

export interface LayoutProblems {
  readonly overflow: string[];
  readonly smallText: string[];
  /** Rows a table rendered that take no room on screen: the user would see a gap or miss the row entirely. */
  readonly hiddenRows: string[];
  /** Text cut short (an ellipsis) with no tooltip on it or around it: the rest cannot be read anywhere. */
  readonly cutUntitled: string[];
}

/**
 * Elements wider than their box (page or scroll containers), visible text under MIN_TEXT_PX, and rows of a shown
 * table that take no room (a rule meant for a row's cells that hid whole rows).
 */
export async function layoutProblems(page: Page): Promise<LayoutProblems> {
  return page.locator('html').evaluate((root, minPx) => {
    const doc = root.ownerDocument;
    const win = doc.defaultView as NonNullable<typeof doc.defaultView>;
    const describe = (el: { tagName: string; getAttribute(name: string): string | null }): string => {
      const label = el.getAttribute('aria-label') ?? el.getAttribute('class') ?? '';
      return `${el.tagName.toLowerCase()}${label ? `[${label}]` : ''}`;
    };
    const overflow: string[] = [];
    if (root.scrollWidth > root.clientWidth + 1) overflow.push(`page ${root.scrollWidth} > ${root.clientWidth}`);
    for (const el of Array.from(doc.querySelectorAll('body *'))) {
      const style = win.getComputedStyle(el);
      if (style.display === 'none' || style.visibility === 'hidden') continue;
      const scrolls = style.overflowX === 'auto' || style.overflowX === 'scroll';
      if (scrolls && el.scrollWidth > el.clientWidth + 1) {
        overflow.push(`${describe(el)} ${el.scrollWidth} > ${el.clientWidth}`);
      }
    }
    const smallText: string[] = [];
    const SHOW_TEXT = 4;
    const walker = doc.createTreeWalker(doc.body, SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent?.trim();
      const parent = node.parentElement;
      if (!text || !parent) continue;
      const rect = parent.getBoundingClientRect();
      if (rect.width === 0 || rect.height === 0) continue;
      const style = win.getComputedStyle(parent);
      if (style.visibility === 'hidden' || parent.closest('[aria-hidden="true"], .visually-hidden')) continue;
      const size = parseFloat(style.fontSize);
      if (size < minPx) smallText.push(`"${text.slice(0, 30)}" ${size}px`);
    }
    const hiddenRows: string[] = [];
    for (const grid of Array.from(doc.querySelectorAll('[role="grid"]'))) {
      if (win.getComputedStyle(grid).display === 'none' || grid.getBoundingClientRect().height === 0) continue;
      for (const row of Array.from(grid.querySelectorAll('[role="row"]'))) {
        if (row.getBoundingClientRect().height > 0) continue;
        hiddenRows.push(
          `${describe(grid)} row ${row.getAttribute('aria-rowindex')} "${(row.textContent ?? '').slice(0, 30)}"`,
        );
      }
    }
    const cutUntitled: string[] = [];
    for (const el of Array.from(doc.querySelectorAll('body *'))) {
      if (el.scrollWidth <= el.clientWidth + 1 || el.closest('.visually-hidden')) continue;
      if (win.getComputedStyle(el).textOverflow !== 'ellipsis' || el.getBoundingClientRect().width === 0) continue;
      if (el.closest('[title]') || el.querySelector('[title]')) continue;
      cutUntitled.push(`${describe(el)} "${(el.textContent ?? '').slice(0, 40)}"`);
    }
    return { overflow, smallText: [...new Set(smallText)], hiddenRows, cutUntitled: [...new Set(cutUntitled)] };
  }, MIN_TEXT_PX);
}

/** The texts of the shown elements matching `selector` that do not fit their box (cut off or ellipsized). */
export async function clippedText(page: Page, selector: string): Promise<string[]> {
  return page
    .locator(selector)
    .evaluateAll((cells) =>
      cells
        .filter((el) => el.getBoundingClientRect().width > 0 && el.scrollWidth > el.clientWidth)
        .map((el) => `"${el.textContent ?? ''}" needs ${el.scrollWidth} px, has ${el.clientWidth}`),
    );
}

/** The locators that are not fully on screen and on top (not clipped by a scroll box, not covered). */
export async function notInView(page: Page, locators: readonly Locator[]): Promise<string[]> {
  const viewport = page.viewportSize();
  const out: string[] = [];
  for (const locator of locators) {
    const name = locator.toString();
    const handle = await locator.elementHandle({ timeout: 2_000 }).catch(() => null);
    if (!handle) {
      out.push(`${name}: missing`);
      continue;
    }
    const ok = await handle.evaluate((el, vp) => {
      const document = el.ownerDocument;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) return 'has no size';
      if (r.left < 0 || r.top < 0 || (vp && (r.right > vp.width + 0.5 || r.bottom > vp.height + 0.5)))
        return `outside the window (${Math.round(r.left)},${Math.round(r.top)} ${Math.round(r.width)}x${Math.round(r.height)})`;
      const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      if (!hit || !(hit === el || el.contains(hit))) return `covered by ${hit?.tagName ?? 'nothing'}`;
      return '';
    }, viewport);
    if (ok) out.push(`${name}: ${ok}`);
  }
  return out;
}

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly targets: string[];
}

/** axe-core on the page as it is now (WCAG 2.x A and AA and best practices). */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern (a <script> tag would be refused).
  await page.evaluate(`${axeSource}\n;undefined`);
  return page.locator('html').evaluate(async (root) => {
    const document = root.ownerDocument;
    const axe = (globalThis as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<AxeResult> } }).axe;
    interface AxeResult {
      violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[];
    }
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    }));
  });
}
