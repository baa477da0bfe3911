/** The data of the compare page's figure: numeric params of all runs of a transform. */
import { IRunSummary } from '../../models';

/** Params that are numbers in at least two runs (booleans excluded). */
export function numericParams(runs: IRunSummary[]): string[] {
  const counts = new Map<string, number>();
  for (const run of runs) {
    for (const [name, value] of Object.entries(run.params)) {
      if (typeof value === 'number' && Number.isFinite(value)) {
        counts.set(name, (counts.get(name) ?? 0) + 1);
      }
    }
  }
  return [...counts.entries()]
    .filter(([, n]) => n >= 2)
    .map(([name]) => name)
    .sort();
}

export interface IScatterData {
  x: number[];
  y: number[];
  text: string[];
  selected: boolean[];
  uids: string[];
}

/** Points of the runs that have both params; the compared runs are marked. */
export function scatterData(
  runs: IRunSummary[],
  xName: string,
  yName: string,
  compared: string[]
): IScatterData {
  const data: IScatterData = { x: [], y: [], text: [], selected: [], uids: [] };
  for (const run of runs) {
    const x = run.params[xName];
    const y = run.params[yName];
    if (typeof x === 'number' && typeof y === 'number') {
      data.x.push(x);
      data.y.push(y);
      data.text.push(`run ${run.uid.slice(0, 8)} · ${run.status}`);
      data.selected.push(compared.includes(run.uid));
      data.uids.push(run.uid);
    }
  }
  return data;
}

/** A plotly figure (data, layout) with theme colours read from CSS variables. */
export function scatterFigure(
  points: IScatterData,
  xName: string,
  yName: string,
  colors: { text: string; grid: string; accent: string; muted: string }
): { data: unknown[]; layout: unknown } {
  return {
    data: [
      {
        type: 'scatter',
        mode: 'markers',
        x: points.x,
        y: points.y,
        text: points.text,
        customdata: points.uids,
        hovertemplate: `%{text}<br>${xName}=%{x}<br>${yName}=%{y}<extra></extra>`,
        marker: {
          size: points.selected.map(s => (s ? 13 : 8)),
          color: points.selected.map(s => (s ? colors.accent : colors.muted)),
          line: { width: 1, color: colors.text }
        }
      }
    ],
    layout: {
      margin: { l: 56, r: 16, t: 16, b: 48 },
      height: 320,
      paper_bgcolor: 'rgba(0,0,0,0)',
      plot_bgcolor: 'rgba(0,0,0,0)',
      font: { color: colors.text, size: 12 },
      xaxis: { title: { text: xName }, gridcolor: colors.grid, zerolinecolor: colors.grid },
      yaxis: { title: { text: yName }, gridcolor: colors.grid, zerolinecolor: colors.grid },
      showlegend: false
    }
  };
}
