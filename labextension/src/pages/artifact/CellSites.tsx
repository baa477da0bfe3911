/**
 * "saved by cell [7] of analysis.ipynb in run …" and "loaded by …" on the Artifact page: a
 * click on the cell opens the notebook there (when it is in the Jupyter root) and says when
 * the cell has changed since or is gone; otherwise the run's report opens at that cell.
 */
import React, { useState } from 'react';

import { getArtifactCells } from '../../api';
import { JumpResult } from '../../cells/jump';
import { ICellSite, cellLinkLabel, stateMessage } from '../../cells/model';
import { ErrorBox } from '../../common/components';
import { useAsync } from '../../sidebar/hooks';
import { IPageContext } from '../context';

const SHOWN_LOADED_BY = 5;

function jumpMessage(result: JumpResult | null, site: ICellSite): string | null {
  if (result === 'missing') {
    return `${site.notebook_path ?? 'the notebook'} could not be opened`;
  }
  return stateMessage(result ?? site.cell_state);
}

function SiteLine(props: { verb: string; site: ICellSite; context: IPageContext }): JSX.Element {
  const { site, context } = props;
  const { actions } = context;
  const [result, setResult] = useState<JumpResult | null>(null);
  const isCell = !!site.cell_id || site.execution_count !== null;
  const notebook = site.transform.key ?? 'the notebook';
  const inReport = isCell && !!site.cell_id && site.run.has_report;
  const openCell = async (): Promise<void> => {
    if (site.notebook_path) {
      setResult(
        await actions.openNotebookCell({
          path: site.notebook_path,
          cell_id: site.cell_id,
          execution_count: site.execution_count,
          cell_source_hash: site.cell_source_hash
        })
      );
    } else if (inReport) {
      actions.openRunReport(site.run.uid, site.cell_id);
    }
  };
  const message = jumpMessage(result, site);
  const canOpen = isCell && (!!site.notebook_path || inReport);
  const label = cellLinkLabel(site);
  return (
    <div className="lk-CellSite" data-testid="lk-cell-site" data-verb={props.verb}>
      <span className="lk-Muted">{props.verb} </span>
      {canOpen ? (
        <button
          className="lk-Link"
          data-testid="lk-cell-link"
          title={
            site.notebook_path
              ? `Open ${site.notebook_path} at this cell`
              : `${notebook} is not in the workspace: open the run's report at this cell`
          }
          onClick={() => void openCell()}
        >
          {label}
        </button>
      ) : label !== null ? (
        <span>{label}</span>
      ) : null}
      {isCell && <span> of {notebook}</span>}
      <span>{label !== null ? ' in run ' : 'run '}</span>
      <button
        className="lk-Link lk-Uid"
        data-testid="lk-cell-site-run"
        title={`Run ${site.run.uid}`}
        onClick={() => actions.open({ registry: 'Run', uid: site.run.uid })}
      >
        {site.run.uid.slice(0, 7)}
      </button>
      {label === null && <span className="lk-Muted"> (no cell or line recorded)</span>}
      {isCell && !site.notebook_path && inReport && (
        <span className="lk-Muted"> (not in the workspace: opens the report)</span>
      )}
      {message && (
        <div
          className={`lk-CellSiteState lk-mod-${result ?? site.cell_state}`}
          data-testid="lk-cell-state"
          data-state={result ?? site.cell_state ?? ''}
        >
          {message}
          {site.notebook_path && inReport && result !== null && (
            <>
              {' · '}
              <button
                className="lk-Link"
                data-testid="lk-cell-report"
                onClick={() => actions.openRunReport(site.run.uid, site.cell_id)}
              >
                see it in the run&apos;s report
              </button>
            </>
          )}
        </div>
      )}
    </div>
  );
}

/** The cell (or script line) that saved the artifact and those that loaded it. */
export function CellSites(props: {
  uid: string;
  generation: number;
  context: IPageContext;
}): JSX.Element | null {
  const sites = useAsync(() => getArtifactCells(props.uid), [props.uid, props.generation]);
  const [showAll, setShowAll] = useState(false);
  if (sites.error) {
    return <ErrorBox message={sites.error} />;
  }
  const data = sites.data;
  if (!data || (!data.saved_by && data.loaded_by.length === 0)) {
    return null;
  }
  const loaded = showAll ? data.loaded_by : data.loaded_by.slice(0, SHOWN_LOADED_BY);
  return (
    <div className="lk-CellSites" data-testid="lk-cell-sites">
      {data.saved_by && <SiteLine verb="saved by" site={data.saved_by} context={props.context} />}
      {loaded.map(site => (
        <SiteLine
          key={`${site.run.uid}:${site.cell_id ?? site.call_line}`}
          verb="loaded by"
          site={site}
          context={props.context}
        />
      ))}
      {data.loaded_by.length > loaded.length && (
        <button className="lk-Link" onClick={() => setShowAll(true)}>
          {data.loaded_by.length - loaded.length} more
        </button>
      )}
    </div>
  );
}
