/**
 * Compare runs of a transform: params, feature values, inputs, outputs, environment and source side by side
 * with the differences marked, and a plotly figure (parallel coordinates or scatter) of numeric
 * params and feature values across all its runs.
 */
import React, { useEffect, useMemo, useRef, useState } from 'react';

import { compareRuns, getRecord, getTransformRuns } from '../../api';
import { EmptyState, ErrorBox, Section, StatusBadge, TimeText } from '../../common/components';
import { humanDuration, plainText } from '../../common/format';
import { RunTable } from '../../common/RunTable';
import { ICompareRow, IRunComparison, IRunSummary } from '../../models';
import { RunDiffPanel } from '../../runDiff/RunDiffPanel';
import { useAsync } from '../../sidebar/hooks';
import { IPageContext } from '../context';
import {
  IDimension,
  IFigure,
  IThemeColors,
  numericDimensions,
  parcoordsData,
  parcoordsFigure,
  scatterData,
  scatterFigure
} from './figure';

function cssColor(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

function themeColors(): IThemeColors {
  return {
    text: cssColor('--jp-ui-font-color1', '#333'),
    grid: cssColor('--jp-border-color2', '#ddd'),
    accent: cssColor('--jp-brand-color1', '#1976d2'),
    muted: cssColor('--jp-ui-font-color3', '#999'),
    background: cssColor('--jp-layout-color1', '#fff')
  };
}

type FigureKind = 'parcoords' | 'scatter';

/** JupyterLab's theme name, updated when the user switches themes (the figure's colours). */
function useThemeName(): string {
  const read = (): string => document.body.dataset.jpThemeName ?? '';
  const [name, setName] = useState(read);
  useEffect(() => {
    const observer = new MutationObserver(() => setName(read()));
    observer.observe(document.body, { attributeFilter: ['data-jp-theme-name'] });
    return () => observer.disconnect();
  }, []);
  return name;
}

/** Draw a plotly figure into `node` (plotly loads on first use: it is large). */
function usePlot(
  node: React.RefObject<HTMLDivElement>,
  figure: IFigure | null,
  onError: (message: string) => void
): void {
  useEffect(() => {
    const element = node.current;
    if (!element || !figure) {
      return;
    }
    let cancelled = false;
    import('plotly.js-gl2d-dist-min')
      .then(module => {
        const plotly = (module as { default?: unknown }).default ?? module;
        if (!cancelled) {
          (plotly as { react: (...args: unknown[]) => void }).react(
            element,
            figure.data,
            figure.layout,
            { displaylogo: false, responsive: true }
          );
        }
      })
      .catch(reason => onError(`The figure could not be drawn: ${String(reason)}`));
    return () => {
      cancelled = true;
    };
  }, [figure]);
}

function DimensionSelect(props: {
  label: string;
  dimensions: IDimension[];
  value: IDimension;
  onChange: (id: string) => void;
}): JSX.Element {
  return (
    <label>
      {props.label}{' '}
      <select
        className="lk-Select"
        value={props.value.id}
        onChange={e => props.onChange(e.target.value)}
      >
        {props.dimensions.map(d => (
          <option key={d.id} value={d.id}>
            {d.label}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Params and feature values of all runs: parallel coordinates, or a scatter of two of them. */
function RunsFigure(props: { runs: IRunSummary[]; compared: string[] }): JSX.Element {
  const dimensions = useMemo(() => numericDimensions(props.runs), [props.runs]);
  const [kind, setKind] = useState<FigureKind | null>(null);
  const [x, setX] = useState<string | null>(null);
  const [y, setY] = useState<string | null>(null);
  const shown: FigureKind = kind ?? (dimensions.length >= 2 ? 'parcoords' : 'scatter');
  const xDim = dimensions.find(d => d.id === x) ?? dimensions[0];
  const yDim = dimensions.find(d => d.id === y) ?? dimensions[1] ?? dimensions[0];
  const element = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);
  const theme = useThemeName();
  const figure = useMemo(() => {
    if (!xDim || !yDim) {
      return null;
    }
    const colors = themeColors();
    return shown === 'parcoords'
      ? parcoordsFigure(parcoordsData(props.runs, dimensions, props.compared), colors)
      : scatterFigure(
          scatterData(props.runs, xDim, yDim, props.compared),
          xDim.label,
          yDim.label,
          colors
        );
  }, [props.runs, props.compared, dimensions, shown, xDim, yDim, theme]);
  usePlot(element, figure, setError);
  if (dimensions.length === 0) {
    return (
      <span className="lk-Muted">
        No numeric params or feature values to plot (ln.track(params=...),
        run.features.add_values(...)).
      </span>
    );
  }
  return (
    <div className="lk-Figure">
      <div className="lk-Toolbar">
        <label>
          figure{' '}
          <select
            className="lk-Select"
            data-testid="lk-compare-figure-kind"
            value={shown}
            onChange={e => setKind(e.target.value as FigureKind)}
          >
            <option value="parcoords">parallel coordinates</option>
            <option value="scatter">scatter</option>
          </select>
        </label>
        {shown === 'scatter' && (
          <>
            <DimensionSelect label="x" dimensions={dimensions} value={xDim} onChange={setX} />
            <DimensionSelect label="y" dimensions={dimensions} value={yDim} onChange={setY} />
          </>
        )}
        <span className="lk-Muted">
          {props.runs.length} runs; the compared ones are{' '}
          {shown === 'scatter' ? 'larger and coloured' : 'coloured'}
        </span>
      </div>
      {error && <ErrorBox message={error} />}
      <div ref={element} className="lk-Plot" data-testid="lk-compare-figure" data-kind={shown} />
    </div>
  );
}

function CompareRows(props: {
  title: string;
  rows: ICompareRow[];
  onlyDiffering: boolean;
  render?: (value: unknown) => React.ReactNode;
  testid: string;
}): JSX.Element | null {
  const rows = props.onlyDiffering ? props.rows.filter(r => r.differs) : props.rows;
  if (rows.length === 0) {
    return null;
  }
  return (
    <>
      <tr className="lk-CompareGroup">
        <th colSpan={100} scope="colgroup">
          {props.title}
        </th>
      </tr>
      {rows.map(row => (
        <tr
          key={row.name ?? row.key}
          className={row.differs ? 'lk-mod-differs' : undefined}
          data-testid={props.testid}
          data-differs={row.differs ? 'true' : 'false'}
        >
          <th scope="row" title={row.name ?? row.key}>
            {row.name ?? row.key}
          </th>
          {row.values.map((value, i) => (
            <td key={i} title={plainText(value)}>
              {props.render ? props.render(value) : plainText(value) || '—'}
            </td>
          ))}
        </tr>
      ))}
    </>
  );
}

function ComparisonTable(props: {
  comparison: IRunComparison;
  context: IPageContext;
}): JSX.Element {
  const { comparison, context } = props;
  const [onlyDiffering, setOnlyDiffering] = useState(false);
  const open = (uid: unknown): React.ReactNode =>
    typeof uid === 'string' ? (
      <button
        className="lk-Link"
        title={uid}
        onClick={() => context.actions.open({ registry: 'Artifact', uid })}
      >
        version #{uid.slice(-4)}
      </button>
    ) : (
      <span className="lk-Muted">—</span>
    );
  return (
    <div>
      <label className="lk-Toggle">
        <input
          type="checkbox"
          data-testid="lk-compare-only-differing"
          checked={onlyDiffering}
          onChange={e => setOnlyDiffering(e.target.checked)}
        />{' '}
        only differences
      </label>
      <div className="lk-TableScroll">
        <table className="lk-Table lk-CompareTable" data-testid="lk-compare-table">
          <thead>
            <tr>
              <th scope="col" />
              {comparison.runs.map(run => (
                <th key={run.uid} scope="col">
                  <button
                    className="lk-Link"
                    onClick={() => context.actions.open({ registry: 'Run', uid: run.uid })}
                  >
                    run {run.uid.slice(0, 8)}
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            <tr>
              <th scope="row">status</th>
              {comparison.runs.map(run => (
                <td key={run.uid}>
                  <StatusBadge status={run.status} title={run.error ?? undefined} />
                </td>
              ))}
            </tr>
            <tr>
              <th scope="row">started</th>
              {comparison.runs.map(run => (
                <td key={run.uid}>
                  <TimeText value={run.started_at} />
                </td>
              ))}
            </tr>
            <tr>
              <th scope="row">duration</th>
              {comparison.runs.map(run => (
                <td key={run.uid}>{humanDuration(run.duration_s) ?? '—'}</td>
              ))}
            </tr>
            <CompareRows
              title="Params"
              rows={comparison.params}
              onlyDiffering={onlyDiffering}
              testid="lk-compare-param"
            />
            <CompareRows
              title="Feature values"
              rows={comparison.features ?? []}
              onlyDiffering={onlyDiffering}
              testid="lk-compare-feature"
            />
            <CompareRows
              title="Inputs"
              rows={comparison.inputs}
              onlyDiffering={onlyDiffering}
              render={open}
              testid="lk-compare-input"
            />
            <CompareRows
              title="Outputs"
              rows={comparison.outputs}
              onlyDiffering={onlyDiffering}
              render={open}
              testid="lk-compare-output"
            />
            {/* hundreds of packages: only those that differ */}
            <CompareRows
              title="Environment (packages that differ)"
              rows={comparison.environment}
              onlyDiffering
              testid="lk-compare-package"
            />
            <tr
              className={comparison.source.differs ? 'lk-mod-differs' : undefined}
              data-testid="lk-compare-source"
              data-differs={comparison.source.differs ? 'true' : 'false'}
            >
              <th scope="row">source</th>
              {comparison.source.values.map((source, i) => (
                <td key={i}>
                  {source === null
                    ? '—'
                    : `${source.split('\n').length} lines${comparison.source.differs ? '' : ' (same)'}`}
                </td>
              ))}
            </tr>
          </tbody>
        </table>
      </div>
    </div>
  );
}

export function ComparePage(props: {
  target: { transform: string; runs: string[] };
  context: IPageContext;
  onTitle: (title: string, caption: string) => void;
}): JSX.Element {
  const { target, context } = props;
  const generation = context.live.generation;
  const transform = useAsync(() => getRecord('Transform', target.transform), [target.transform]);
  const runs = useAsync(() => getTransformRuns(target.transform), [target.transform, generation]);
  const [chosen, setChosen] = useState<string[]>(target.runs);
  const all = runs.data?.runs ?? [];
  const compared = chosen.length >= 2 ? chosen : all.slice(0, 2).map(r => r.uid);
  const comparison = useAsync(compared.length >= 2 ? () => compareRuns(compared) : null, [
    compared.join(','),
    generation
  ]);
  const key = transform.data?.label ?? target.transform;
  useEffect(() => props.onTitle(`Compare ${key}`, `Compare runs of ${key}`), [key]);
  return (
    <div className="lk-Page lk-page-compare" data-testid="lk-compare-page">
      <header className="lk-PageHeader">
        <span className="lk-PageKind">Compare runs</span>
        <h1 className="lk-PageTitle">
          <button
            className="lk-Link"
            onClick={() => context.actions.open({ registry: 'Transform', uid: target.transform })}
          >
            {key}
          </button>
        </h1>
      </header>
      {runs.error && <ErrorBox message={runs.error} />}
      {runs.data && all.length < 2 && (
        <EmptyState title="Nothing to compare yet">
          This transform has {all.length} run. Run it again (with different params) to compare.
        </EmptyState>
      )}
      {all.length >= 2 && (
        <div className="lk-PageBody">
          <Section
            title="Params and feature values across all runs"
            testid="lk-compare-figure-section"
          >
            <RunsFigure runs={all} compared={compared} />
          </Section>
          <Section title={`Side by side (${compared.length} runs)`} testid="lk-compare-side">
            {comparison.error && <ErrorBox message={comparison.error} />}
            {comparison.data && <ComparisonTable comparison={comparison.data} context={context} />}
          </Section>
          {comparison.data?.diff && (
            <Section title="What changed from the first run to the second" testid="lk-compare-diff">
              <RunDiffPanel diff={comparison.data.diff} open={context.actions.open} />
            </Section>
          )}
          <Section title="Runs (choose which to compare)" testid="lk-compare-runs" open={false}>
            <RunTable
              runs={all}
              onOpen={context.actions.open}
              selected={compared}
              onSelect={setChosen}
            />
          </Section>
        </div>
      )}
    </div>
  );
}
