// Renders the application icons from portcullis.svg: icon.png (512 px, Linux builds and the tray) and icon.ico
// (16 to 256 px, each size rendered from the vector, not scaled down from a bitmap). The results are committed, so
// packaging never needs this script; run `npm run icons` after changing the SVG.
import { Resvg } from '@resvg/resvg-js';
import pngToIco from 'png-to-ico';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const ICO_SIZES = [16, 20, 24, 32, 40, 48, 64, 128, 256];

export function renderPng(svg, size) {
  return new Resvg(svg, { fitTo: { mode: 'width', value: size }, font: { loadSystemFonts: false } }).render().asPng();
}

export async function generateIcons(outDir = here) {
  const svg = readFileSync(join(here, 'portcullis.svg'));
  const png = renderPng(svg, 512);
  const ico = await pngToIco(ICO_SIZES.map((size) => renderPng(svg, size)));
  writeFileSync(join(outDir, 'icon.png'), png);
  writeFileSync(join(outDir, 'icon.ico'), ico);
  return { png: png.length, ico: ico.length };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  // --out DIR writes elsewhere (the tests compare a fresh rendering with the committed icons).
  const outIndex = process.argv.indexOf('--out');
  const outDir = outIndex > 0 && process.argv[outIndex + 1] ? process.argv[outIndex + 1] : here;
  const sizes = await generateIcons(outDir);
  console.log(
    `icon.png (${sizes.png} bytes) and icon.ico (${ICO_SIZES.join(', ')} px, ${sizes.ico} bytes) written to ${outDir}`,
  );
}
