/** Export a drawn lineage graph as a standalone SVG or PNG file. */

const STYLED = ['fill', 'stroke', 'stroke-width', 'font-family', 'font-size', 'font-weight'];

/** A copy of the SVG with the theme's computed colours written into each element. */
export function standaloneSvg(svg: SVGSVGElement): string {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  const sources = svg.querySelectorAll('*');
  const targets = copy.querySelectorAll('*');
  sources.forEach((source, i) => {
    const style = window.getComputedStyle(source);
    const target = targets[i] as SVGElement;
    for (const name of STYLED) {
      const value = style.getPropertyValue(name);
      if (value) {
        target.setAttribute(name, value);
      }
    }
  });
  const box = svg.getBoundingClientRect();
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  copy.setAttribute('width', String(Math.round(box.width)));
  copy.setAttribute('height', String(Math.round(box.height)));
  const background = window
    .getComputedStyle(svg.parentElement ?? svg)
    .getPropertyValue('background-color');
  copy.setAttribute('style', `background:${background || '#fff'}`);
  return new XMLSerializer().serializeToString(copy);
}

function download(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function exportSvg(svg: SVGSVGElement, filename: string): void {
  download(new Blob([standaloneSvg(svg)], { type: 'image/svg+xml' }), filename);
}

/** Draw the SVG into a canvas at twice its size and save it as a PNG. */
export async function exportPng(svg: SVGSVGElement, filename: string): Promise<void> {
  const text = standaloneSvg(svg);
  const box = svg.getBoundingClientRect();
  const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    await new Promise<void>((resolve, reject) => {
      image.onload = () => resolve();
      image.onerror = () => reject(new Error('could not draw the graph'));
      image.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(box.width * 2));
    canvas.height = Math.max(1, Math.round(box.height * 2));
    const context = canvas.getContext('2d');
    if (!context) {
      throw new Error('no canvas');
    }
    context.scale(2, 2);
    context.drawImage(image, 0, 0);
    const blob = await new Promise<Blob | null>(resolve => canvas.toBlob(resolve, 'image/png'));
    if (!blob) {
      throw new Error('could not encode the PNG');
    }
    download(blob, filename);
  } finally {
    URL.revokeObjectURL(url);
  }
}
