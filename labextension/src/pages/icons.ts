/** Icons of the extension that JupyterLab does not have. */
import { LabIcon } from '@jupyterlab/ui-components';

const INSERT_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24">
  <g class="jp-icon3" fill="#616161">
    <path d="M4 4h16v2H4zM4 18h16v2H4zM11 8h2v4h4v2h-4v4h-2v-4H7v-2h4z"/>
  </g>
</svg>`;

const COMPARE_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24">
  <g class="jp-icon3" fill="#616161">
    <path d="M10 3h2v18h-2zM4 6h4v2H6v8h2v2H4zM14 6h6v12h-6v-2h4V8h-4z"/>
  </g>
</svg>`;

const GRAPH_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24">
  <g class="jp-icon3" fill="#616161">
    <rect x="2" y="9" width="6" height="6" rx="1"/><rect x="16" y="3" width="6" height="6" rx="1"/>
    <rect x="16" y="15" width="6" height="6" rx="1"/>
    <path d="M8 11.2h3.2V6h4.8v2h-2.8v8h2.8v2h-4.8v-5.2H8z"/>
  </g>
</svg>`;

export const insertIcon = new LabIcon({ name: 'lamin-kernel:insert', svgstr: INSERT_SVG });
export const compareIcon = new LabIcon({ name: 'lamin-kernel:compare', svgstr: COMPARE_SVG });
export const lineageIcon = new LabIcon({ name: 'lamin-kernel:lineage', svgstr: GRAPH_SVG });

const ZOOM_OUT_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24">
  <g class="jp-icon3" fill="#616161"><path d="M5 11h14v2H5z"/></g>
</svg>`;

const FIT_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24">
  <g class="jp-icon3" fill="#616161">
    <path d="M3 3h7v2H5v5H3zM14 3h7v7h-2V5h-5zM3 14h2v5h5v2H3zM19 14h2v7h-7v-2h5z"/>
  </g>
</svg>`;

const EXPAND_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24">
  <g class="jp-icon3" fill="#616161"><path d="M14 3h7v7h-2V6.4l-5.3 5.3-1.4-1.4L17.6 5H14zM3 14h2v3.6l5.3-5.3 1.4 1.4L6.4 19H10v2H3z"/></g>
</svg>`;

export const zoomOutIcon = new LabIcon({ name: 'lamin-kernel:zoom-out', svgstr: ZOOM_OUT_SVG });
export const fitIcon = new LabIcon({ name: 'lamin-kernel:fit', svgstr: FIT_SVG });
export const openFullIcon = new LabIcon({ name: 'lamin-kernel:open-full', svgstr: EXPAND_SVG });
