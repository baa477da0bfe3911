/**
 * What changed from one run to another (`ln.Run.diff(a, b)`, `lamin diff`): params, feature
 * values, inputs by version, outputs by hash, packages, and the source, cell by cell for
 * notebooks. Shown on the compare-runs page when two runs are compared.
 */
import React from 'react';

import { DiffGroup, DiffRow, MappingRows, mappingNote } from '../common/diff';
import { IRecordRef } from '../models';
import { ICellChange, IDiffRef, IRecordsDiff, IRunDiff } from './types';

type Open = (target: IRecordRef) => void;

function RefLink(props: { target: IDiffRef; open: Open; text?: string }): JSX.Element {
  const { target } = props;
  const version = target.version_tag ? ` v${target.version_tag}` : '';
  return (
    <button
      className="lk-Link"
      title={target.uid}
      onClick={() => props.open({ registry: target.registry, uid: target.uid })}
    >
      {props.text ?? `version #${target.uid.slice(-4)}${version}`}
    </button>
  );
}

function RecordRows(props: {
  part: IRecordsDiff;
  open: Open;
  byHash: boolean;
  testid: string;
}): JSX.Element {
  const { part, open, byHash, testid } = props;
  const detail = (ref: IDiffRef): React.ReactNode =>
    byHash ? (
      <code title={ref.hash ?? ''}>{ref.hash ?? 'no hash'}</code>
    ) : (
      <RefLink target={ref} open={open} />
    );
  const link = (ref: IDiffRef): JSX.Element => <RefLink target={ref} open={open} />;
  return (
    <>
      {part.added.map(ref => (
        <DiffRow key={`+${ref.uid}`} sign="+" label={ref.label} testid={testid}>
          {link(ref)}
        </DiffRow>
      ))}
      {part.removed.map(ref => (
        <DiffRow key={`-${ref.uid}`} sign="-" label={ref.label} testid={testid}>
          {link(ref)}
        </DiffRow>
      ))}
      {part.changed.map(pair => (
        <DiffRow key={`~${pair.b.uid}`} sign="~" label={pair.label} testid={testid}>
          {detail(pair.a)} → {detail(pair.b)}
        </DiffRow>
      ))}
      {byHash &&
        part.same.map(pair => (
          <DiffRow key={`=${pair.b.uid}`} sign="=" label={pair.label} testid={testid}>
            same hash <code>{pair.b.hash ?? '—'}</code>
          </DiffRow>
        ))}
    </>
  );
}

function DiffText(props: { text: string }): JSX.Element {
  return (
    <pre className="lk-RunDiffText">
      {props.text.split('\n').map((line, i) => (
        <span
          key={i}
          className={
            line.startsWith('+') ? 'lk-mod-added' : line.startsWith('-') ? 'lk-mod-removed' : ''
          }
        >
          {line}
          {'\n'}
        </span>
      ))}
    </pre>
  );
}

function CellChanges(props: { cells: ICellChange[]; nSame: number | null }): JSX.Element {
  return (
    <div data-testid="lk-run-diff-cells">
      <div className="lk-Muted">{props.nSame ?? 0} cells the same</div>
      {props.cells.map((cell, i) => {
        const index = cell.index_b ?? cell.index_a ?? 0;
        return (
          <div
            key={i}
            className="lk-RunDiffCell"
            data-testid="lk-run-diff-cell"
            data-status={cell.status}
          >
            <div>
              cell {index + 1} <span className="lk-Muted">{cell.cell_id ?? ''}</span>: {cell.status}
            </div>
            <DiffText text={cell.diff} />
          </div>
        );
      })}
    </div>
  );
}

export function RunDiffPanel(props: { diff: IRunDiff; open: Open }): JSX.Element {
  const { diff, open } = props;
  const source = diff.source;
  return (
    <div
      className="lk-RunDiff"
      data-testid="lk-run-diff"
      data-differs={diff.differs ? 'true' : 'false'}
    >
      <div className="lk-Muted">
        from run {diff.a.uid} to run {diff.b.uid}
        {diff.differs ? '' : ': no differences'}
      </div>
      <table className="lk-Table lk-CompareTable">
        <tbody>
          <DiffGroup title="Params" note={mappingNote(diff.params)}>
            <MappingRows part={diff.params} testid="lk-run-diff-param" />
          </DiffGroup>
          <DiffGroup title="Feature values" note={mappingNote(diff.features)}>
            <MappingRows part={diff.features} testid="lk-run-diff-feature" />
          </DiffGroup>
          <DiffGroup title="Inputs" note={`(${diff.inputs.same.length} the same)`}>
            <RecordRows part={diff.inputs} open={open} byHash={false} testid="lk-run-diff-input" />
          </DiffGroup>
          <DiffGroup title="Outputs" note="(compared by hash)">
            <RecordRows part={diff.outputs} open={open} byHash testid="lk-run-diff-output" />
          </DiffGroup>
          <DiffGroup title="Packages" note={mappingNote(diff.environment)}>
            <MappingRows part={diff.environment} testid="lk-run-diff-package" />
          </DiffGroup>
        </tbody>
      </table>
      <div className="lk-RunDiffSource" data-testid="lk-run-diff-source">
        <strong>Source</strong>{' '}
        {source.same ? (
          <span className="lk-Muted">the same</span>
        ) : source.cells ? (
          <CellChanges cells={source.cells} nSame={source.n_same_cells} />
        ) : (
          <DiffText text={source.unified} />
        )}
      </div>
    </div>
  );
}
