/**
 * Plugin: renders `application/vnd.lamin.lineage+json` (what `view_lineage()` displays in a
 * notebook) with the same LineageView as the sidebar and the Lineage page: pan, zoom,
 * expand, filter, export, open a node's page or the full-size page.
 */
import { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { ReactWidget } from '@jupyterlab/ui-components';
import React, { useState } from 'react';

import { ErrorBox } from '../common/components';
import { ILineageMime, IRecordRef } from '../models';
import { CommandIDs } from '../tokens';
import { mergeGraphs } from './layout';
import { fetchLineage } from './LineagePanel';
import { LineageView } from './LineageView';

export const LINEAGE_MIME = 'application/vnd.lamin.lineage+json';

/** The record a lineage output was drawn for, from its root node id `<kind>:<uid>`. */
export function rootRef(data: ILineageMime): IRecordRef | null {
  const root = data.nodes.find(n => n.id === data.root);
  return root ? { registry: root.registry, uid: root.uid } : null;
}

/** Check the output's data; null when it is not a lineage graph. */
export function parseLineageMime(value: unknown): ILineageMime | null {
  if (typeof value !== 'object' || value === null) {
    return null;
  }
  const data = value as Partial<ILineageMime>;
  if (!Array.isArray(data.nodes) || !Array.isArray(data.edges)) {
    return null;
  }
  const nodes = data.nodes.filter(
    n => n && typeof n.id === 'string' && typeof n.uid === 'string' && typeof n.kind === 'string'
  );
  const ids = new Set(nodes.map(n => n.id));
  const edges = data.edges.filter(e => e && ids.has(e.source) && ids.has(e.target));
  return {
    nodes,
    edges,
    root: typeof data.root === 'string' ? data.root : null,
    direction: data.direction,
    depth: typeof data.depth === 'number' ? data.depth : 3
  };
}

function LineageOutput(props: { data: ILineageMime; app: JupyterFrontEnd }): JSX.Element {
  const { data, app } = props;
  const depth = data.depth ?? 3;
  const target = rootRef(data);
  const [graph, setGraph] = useState(data);
  const [levels, setLevels] = useState({
    up: data.direction === 'downstream' ? 0 : depth,
    down: data.direction === 'upstream' ? 0 : depth
  });
  const [error, setError] = useState<string | null>(null);
  const open = (view: string, ref: IRecordRef): void =>
    void app.commands.execute(CommandIDs.openPage, { view, ...ref });
  return (
    <div className="lk-LineageOutput" data-testid="lk-lineage-output">
      {error && <ErrorBox message={error} />}
      <LineageView
        graph={graph}
        rootId={data.root}
        target={target}
        up={levels.up}
        down={levels.down}
        onExpand={
          target
            ? direction => {
                const next = {
                  up: levels.up + (direction === 'upstream' ? 1 : 0),
                  down: levels.down + (direction === 'downstream' ? 1 : 0)
                };
                fetchLineage(target, Math.max(1, next.up), Math.max(1, next.down)).then(
                  fetched => {
                    setLevels(next);
                    setGraph({ ...graph, ...mergeGraphs(graph, fetched) });
                  },
                  reason => setError(String(reason))
                );
              }
            : undefined
        }
        onOpen={node => open('record', { registry: node.registry, uid: node.uid })}
        onOpenFull={target ? () => open('lineage', target) : undefined}
        visible
        direction="LR"
        compact
      />
    </div>
  );
}

export class LineageRenderer extends ReactWidget implements IRenderMime.IRenderer {
  private _data: ILineageMime | null = null;

  constructor(
    private readonly _app: JupyterFrontEnd,
    private readonly _mimeType: string
  ) {
    super();
    this.addClass('lk-LineageRenderer');
  }

  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    this._data = parseLineageMime(model.data[this._mimeType]);
    this.update();
  }

  render(): JSX.Element {
    if (!this._data) {
      return <ErrorBox message="This lineage output cannot be read." />;
    }
    return <LineageOutput data={this._data} app={this._app} />;
  }
}

export const lineageMimePlugin: JupyterFrontEndPlugin<void> = {
  id: 'lamin-kernel:lineage-mime',
  description: 'Draws view_lineage() outputs in notebooks with the Lamin lineage component.',
  autoStart: true,
  requires: [IRenderMimeRegistry],
  activate: (app: JupyterFrontEnd, rendermime: IRenderMimeRegistry) => {
    rendermime.addFactory(
      {
        safe: true,
        mimeTypes: [LINEAGE_MIME],
        defaultRank: 0,
        createRenderer: options => new LineageRenderer(app, options.mimeType)
      },
      0
    );
  }
};
