/** Version history of an artifact: switch to another version, diff any two. */
import React, { useState } from 'react';

import { getVersionDiff } from '../../api';
import { ErrorBox } from '../../common/components';
import { humanSize, plainText } from '../../common/format';
import { IFieldChange, ISetDiff, IVersion, IVersionDiff } from '../../models';
import { useAsync } from '../../sidebar/hooks';
import { VersionList } from '../RecordActions';

function changeText(change: IFieldChange): [string, string] {
  if (change.name === 'size') {
    return [humanSize(change.old) ?? '—', humanSize(change.new) ?? '—'];
  }
  return [plainText(change.old) || '—', plainText(change.new) || '—'];
}

function SetChanges(props: { title: string; diff: ISetDiff; testid: string }): JSX.Element | null {
  const { added, removed } = props.diff;
  if (!added.length && !removed.length) {
    return null;
  }
  return (
    <div className="lk-DiffGroup" data-testid={props.testid}>
      <span className="lk-DiffTitle">{props.title}</span>
      {added.map(name => (
        <span key={`+${name}`} className="lk-Chip lk-mod-added" title="added">
          + {name}
        </span>
      ))}
      {removed.map(name => (
        <span key={`-${name}`} className="lk-Chip lk-mod-removed" title="removed">
          − {name}
        </span>
      ))}
    </div>
  );
}

export function DiffView(props: { diff: IVersionDiff }): JSX.Element {
  const { diff } = props;
  const changes = [...diff.fields, ...diff.features];
  const labelGroups = Object.entries(diff.labels);
  const nothing =
    changes.length === 0 &&
    !diff.columns?.added.length &&
    !diff.columns?.removed.length &&
    !diff.schema.added.length &&
    !diff.schema.removed.length &&
    labelGroups.every(([, d]) => !d.added.length && !d.removed.length);
  return (
    <div className="lk-Diff" data-testid="lk-version-diff">
      {diff.same_content && <div className="lk-Muted">Same content (equal hashes).</div>}
      {nothing && <div className="lk-Muted">No differences in fields, columns or labels.</div>}
      {changes.length > 0 && (
        <table className="lk-Table lk-DiffTable">
          <thead>
            <tr>
              <th scope="col">field</th>
              <th scope="col">{diff.old.slice(-4)} (older)</th>
              <th scope="col">{diff.new.slice(-4)} (this)</th>
            </tr>
          </thead>
          <tbody>
            {changes.map(change => {
              const [before, after] = changeText(change);
              return (
                <tr key={change.name} data-testid={`lk-diff-${change.name}`}>
                  <th scope="row">{change.name}</th>
                  <td className="lk-mod-removed" title={plainText(change.old)}>
                    {before}
                  </td>
                  <td className="lk-mod-added" title={plainText(change.new)}>
                    {after}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {diff.columns && <SetChanges title="columns" diff={diff.columns} testid="lk-diff-columns" />}
      <SetChanges title="schema" diff={diff.schema} testid="lk-diff-schema" />
      {labelGroups.map(([relation, d]) => (
        <SetChanges key={relation} title={relation} diff={d} testid={`lk-diff-${relation}`} />
      ))}
    </div>
  );
}

export function VersionPanel(props: {
  uid: string;
  versions: IVersion[];
  onSwitch: (uid: string) => void;
}): JSX.Element {
  const { versions, uid } = props;
  const others = versions.filter(v => v.uid !== uid);
  const [against, setAgainst] = useState<string | null>(null);
  const older = against ?? others.find(v => v.uid < uid)?.uid ?? others[0]?.uid ?? null;
  const diff = useAsync(older ? () => getVersionDiff(uid, older) : null, [uid, older]);
  return (
    <div className="lk-Versions">
      <VersionList uid={uid} versions={versions} onSwitch={props.onSwitch} testid="lk-versions" />
      {others.length > 0 && (
        <div className="lk-DiffPicker">
          <label>
            Compare with{' '}
            <select
              className="lk-Select"
              data-testid="lk-diff-against"
              value={older ?? ''}
              onChange={event => setAgainst(event.target.value)}
            >
              {others.map(v => (
                <option key={v.uid} value={v.uid}>
                  {v.version_tag ? `v${v.version_tag}` : v.uid.slice(-4)} · {v.uid}
                </option>
              ))}
            </select>
          </label>
          {diff.error && <ErrorBox message={diff.error} />}
          {diff.data && <DiffView diff={diff.data} />}
        </div>
      )}
    </div>
  );
}
