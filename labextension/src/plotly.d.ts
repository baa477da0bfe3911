/** plotly.js's basic bundle ships no types; the compare page uses `react(el, data, layout, config)`. */
declare module 'plotly.js-basic-dist-min';
