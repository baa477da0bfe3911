/** What every record page offers first: copy or insert the code that gets the record, and
 * (for artifacts, collections, runs and transforms) open its lineage; plus a version list. */
import { copyIcon } from '@jupyterlab/ui-components';
import React from 'react';

import { TimeText, ToolButton } from '../common/components';
import { IVersion } from '../models';
import { recordGetCode } from '../registry/helpers';
import { IPageActions } from './context';
import { insertIcon, lineageIcon } from './icons';

const LINEAGE_REGISTRIES = new Set(['Artifact', 'Collection', 'Run', 'Transform']);

export function RecordActions(props: {
  registry: string;
  uid: string;
  module?: string;
  actions: IPageActions;
}): JSX.Element {
  const { registry, uid, actions } = props;
  const code = recordGetCode(registry, uid, props.module);
  return (
    <>
      <ToolButton
        icon={copyIcon}
        label="Copy code"
        tooltip={`Copy ${code}`}
        testid="lk-copy-code"
        onClick={() => actions.copy(code)}
      />
      <ToolButton
        icon={insertIcon}
        label="Insert code"
        tooltip={`Insert ${code} below the active cell`}
        testid="lk-insert-code"
        onClick={() => void actions.insertCode(code)}
      />
      {LINEAGE_REGISTRIES.has(registry) && (
        <ToolButton
          icon={lineageIcon}
          label="Lineage"
          tooltip={`Open the lineage graph of this ${registry.toLowerCase()}`}
          testid="lk-open-lineage"
          onClick={() => actions.openLineage({ registry, uid })}
        />
      )}
    </>
  );
}

/** Versions of a record, newest first; the current one is not a link. */
export function VersionList(props: {
  uid: string;
  versions: IVersion[];
  onSwitch: (uid: string) => void;
  testid?: string;
}): JSX.Element {
  return (
    <ol className="lk-VersionList" data-testid={props.testid}>
      {props.versions.map(version => (
        <li
          key={version.uid}
          className={version.uid === props.uid ? 'lk-mod-current' : undefined}
          data-uid={version.uid}
        >
          <button
            className="lk-Link"
            disabled={version.uid === props.uid}
            aria-current={version.uid === props.uid ? 'page' : undefined}
            onClick={() => props.onSwitch(version.uid)}
            title={version.uid}
          >
            {version.version_tag ? `v${version.version_tag}` : version.uid.slice(-4)}
          </button>
          {version.is_latest && <span className="lk-Badge lk-status-finished">latest</span>}
          <TimeText value={version.created_at} />
        </li>
      ))}
    </ol>
  );
}
