/**
 * The data of the compare page's figures: numeric params and feature values of all runs of a
 * transform, as a parallel-coordinates figure (every dimension at once) or a scatter of two.
 */
import { IRunSummary } from '../../models';

/** A numeric dimension: a param (`params.<name>`) or a feature value (`features.<name>`). */
export interface IDimension {
  id: string;
  label: string;
  value: (run: IRunSummary) => number | undefined;
}

function numeric(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** Params and feature values that are numbers in at least two runs (booleans excluded);
 * params first, each group by name. A feature that shares a param's name is labelled as such. */
export function numericDimensions(runs: IRunSummary[]): IDimension[] {
  const counts = new Map<string, number>();
  for (const run of runs) {
    const sources: Array<[string, { [name: string]: unknown } | undefined]> = [
      ['params', run.params],
      ['features', run.features]
    ];
    for (const [source, values] of sources) {
      for (const [name, value] of Object.entries(values ?? {})) {
        if (numeric(value) !== undefined) {
          const id = `${source}.${name}`;
          counts.set(id, (counts.get(id) ?? 0) + 1);
        }
      }
    }
  }
  const ids = [...counts.entries()].filter(([, n]) => n >= 2).map(([id]) => id);
  const paramNames = new Set(ids.filter(id => id.startsWith('params.')).map(id => id.slice(7)));
  const ordered = [
    ...ids.filter(id => id.startsWith('params.')).sort(),
    ...ids.filter(id => id.startsWith('features.')).sort()
  ];
  return ordered.map(id => {
    const isParam = id.startsWith('params.');
    const name = id.slice(isParam ? 7 : 9);
    return {
      id,
      label: !isParam && paramNames.has(name) ? `${name} (feature)` : name,
      value: run => numeric(isParam ? run.params[name] : run.features?.[name])
    };
  });
}

export interface IThemeColors {
  text: string;
  grid: string;
  accent: string;
  muted: string;
  background: string;
}

export interface IFigure {
  data: unknown[];
  layout: unknown;
}

function baseLayout(colors: IThemeColors, height: number): { [key: string]: unknown } {
  return {
    height,
    paper_bgcolor: 'rgba(0,0,0,0)',
    plot_bgcolor: 'rgba(0,0,0,0)',
    font: { color: colors.text, size: 12 },
    showlegend: false
  };
}

export interface IScatterData {
  x: number[];
  y: number[];
  text: string[];
  selected: boolean[];
  uids: string[];
}

function runText(run: IRunSummary): string {
  return `run ${run.uid.slice(0, 8)} · ${run.status}`;
}

/** Points of the runs that have both values; the compared runs are marked. */
export function scatterData(
  runs: IRunSummary[],
  x: IDimension,
  y: IDimension,
  compared: string[]
): IScatterData {
  const data: IScatterData = { x: [], y: [], text: [], selected: [], uids: [] };
  for (const run of runs) {
    const xValue = x.value(run);
    const yValue = y.value(run);
    if (xValue !== undefined && yValue !== undefined) {
      data.x.push(xValue);
      data.y.push(yValue);
      data.text.push(runText(run));
      data.selected.push(compared.includes(run.uid));
      data.uids.push(run.uid);
    }
  }
  return data;
}

/** A plotly scatter figure with theme colours. */
export function scatterFigure(
  points: IScatterData,
  xLabel: string,
  yLabel: string,
  colors: IThemeColors
): IFigure {
  const axis = (title: string) => ({
    title: { text: title },
    gridcolor: colors.grid,
    zerolinecolor: colors.grid,
    linecolor: colors.grid
  });
  return {
    data: [
      {
        type: 'scatter',
        mode: 'markers',
        x: points.x,
        y: points.y,
        text: points.text,
        customdata: points.uids,
        hovertemplate: `%{text}<br>${xLabel}=%{x}<br>${yLabel}=%{y}<extra></extra>`,
        marker: {
          size: points.selected.map(s => (s ? 13 : 8)),
          color: points.selected.map(s => (s ? colors.accent : colors.muted)),
          line: { width: 1, color: colors.text }
        }
      }
    ],
    layout: {
      ...baseLayout(colors, 320),
      margin: { l: 56, r: 16, t: 16, b: 48 },
      xaxis: axis(xLabel),
      yaxis: axis(yLabel)
    }
  };
}

export interface IParcoordsData {
  dimensions: Array<{ label: string; values: number[] }>;
  selected: number[];
  uids: string[];
}

/** One line per run that has every dimension; `selected` is 1 for the compared runs. */
export function parcoordsData(
  runs: IRunSummary[],
  dimensions: IDimension[],
  compared: string[]
): IParcoordsData {
  const complete = runs.filter(run => dimensions.every(d => d.value(run) !== undefined));
  return {
    dimensions: dimensions.map(d => ({
      label: d.label,
      values: complete.map(run => d.value(run) as number)
    })),
    selected: complete.map(run => (compared.includes(run.uid) ? 1 : 0)),
    uids: complete.map(run => run.uid)
  };
}

/** A plotly parallel-coordinates figure: compared runs in the accent colour, others muted. */
export function parcoordsFigure(lines: IParcoordsData, colors: IThemeColors): IFigure {
  return {
    data: [
      {
        type: 'parcoords',
        line: {
          color: lines.selected,
          cmin: 0,
          cmax: 1,
          colorscale: [
            [0, colors.muted],
            [1, colors.accent]
          ]
        },
        labelfont: { color: colors.text, size: 12 },
        tickfont: { color: colors.text, size: 11 },
        rangefont: { color: colors.muted, size: 10 },
        dimensions: lines.dimensions
      }
    ],
    layout: { ...baseLayout(colors, 340), margin: { l: 64, r: 64, t: 48, b: 24 } }
  };
}
