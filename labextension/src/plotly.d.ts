/** plotly.js's gl2d bundle (scatter, parcoords) ships no types; the compare page uses `react(el, data, layout, config)`. */
declare module 'plotly.js-gl2d-dist-min';
