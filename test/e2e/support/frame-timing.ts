// Measures, inside the page, how long one interaction keeps the page from drawing: from the input event to the
// next animation frame and to the paint after it, and the longest gap between frames over the following 200 ms
// (the interaction and what it sets off: the re-render, icon requests for the rows that came into view).
// Kept as source text because page.evaluate runs it in the browser, where transpiler helpers do not exist.
import type { Page } from 'playwright-core';

export interface FrameTiming {
  readonly action: string;
  /** Input event dispatched -> next requestAnimationFrame callback (React has rendered and committed). */
  readonly toFrame: number;
  /** Input event dispatched -> first task after that frame (the frame has been painted). */
  readonly toPaint: number;
  /** Longest interval between consecutive frames from the input event on, over 200 ms. */
  readonly maxFrameGap: number;
}

export type Interaction =
  | { readonly kind: 'type'; readonly label: string; readonly text: string }
  | { readonly kind: 'clear'; readonly label: string }
  | { readonly kind: 'sort'; readonly column: string };

const PAGE_SOURCE = /* js */ `async (interaction) => {
  const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve));
  const afterPaint = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  const setInput = (input, value) => {
    const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
    setter.call(input, value);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  };
  const steps = [];
  if (interaction.kind === 'sort') {
    const buttons = [...document.querySelectorAll('[role="columnheader"] button')];
    const button = buttons.find((b) => b.textContent.trim().startsWith(interaction.column));
    if (!button) throw new Error('no sort button for column ' + interaction.column);
    steps.push({ action: 'sort by ' + interaction.column, run: () => button.click() });
  } else {
    const input = document.querySelector('input[aria-label="' + interaction.label + '"]');
    if (!input) throw new Error('no input labelled ' + interaction.label);
    input.focus();
    if (interaction.kind === 'clear') {
      steps.push({ action: 'clear search', run: () => setInput(input, '') });
    } else {
      for (const ch of interaction.text) {
        steps.push({ action: 'type "' + ch + '"', run: () => setInput(input, input.value + ch) });
      }
    }
  }
  const results = [];
  for (const step of steps) {
    await afterPaint();
    const frames = [];
    let recording = true;
    const record = (t) => {
      frames.push(t);
      if (recording) requestAnimationFrame(record);
    };
    const t0 = performance.now();
    step.run();
    requestAnimationFrame(record);
    await nextFrame();
    const toFrame = performance.now() - t0;
    await new Promise((resolve) => setTimeout(resolve, 0));
    const toPaint = performance.now() - t0;
    await new Promise((resolve) => setTimeout(resolve, 200));
    recording = false;
    let maxFrameGap = frames.length ? frames[0] - t0 : Infinity;
    for (let i = 1; i < frames.length; i++) maxFrameGap = Math.max(maxFrameGap, frames[i] - frames[i - 1]);
    results.push({ action: step.action, toFrame, toPaint, maxFrameGap });
  }
  return results;
}`;

export function measureInteraction(page: Page, interaction: Interaction): Promise<FrameTiming[]> {
  return page.evaluate(`(${PAGE_SOURCE})(${JSON.stringify(interaction)})`) as Promise<FrameTiming[]>;
}

export const FRAME_TIMING_SOURCE = PAGE_SOURCE;
