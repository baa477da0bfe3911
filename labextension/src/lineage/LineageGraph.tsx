/** The lineage graph as SVG: drag to pan, wheel to zoom, click a node to open it. */
import React, { useEffect, useMemo, useRef, useState } from 'react';

import { addIcon } from '@jupyterlab/ui-components';

import { ToolButton } from '../common/components';
import { ILineageGraph, ILineageNode } from '../models';
import { fitIcon, zoomOutIcon } from '../pages/icons';
import { describeChange, isStale } from './cells';
import {
  edgePath,
  fitTransform,
  IPositionedNode,
  IViewTransform,
  layoutGraph,
  shortLabel,
  zoomAt
} from './layout';

export interface ILineageGraphProps {
  graph: ILineageGraph;
  /** The node the graph was asked for, drawn highlighted. */
  rootId: string | null;
  visible: boolean;
  onOpen: (node: ILineageNode) => void;
  /** TB (top to bottom, for the sidebar) or LR (left to right, for the main area). */
  direction?: 'TB' | 'LR';
  /** Called once the layout is on screen (benchmarks, tests). */
  onLaidOut?: (nodes: number) => void;
  /** Runs that can be expanded into their cells get a toggle; `expanded` holds run uids. */
  canExpand?: (node: ILineageNode) => boolean;
  expanded?: ReadonlySet<string>;
  onToggleCells?: (node: ILineageNode) => void;
}

/** The node's tooltip: registry, uid, label, the run that made it, what changed upstream. */
function tooltip(node: ILineageNode): string {
  const lines = [`${node.registry} ${node.uid}`, node.label];
  if (node.run) {
    lines.push(`run ${node.run}`);
  }
  if (node.upstream_changes?.length) {
    lines.push('upstream changed:', ...node.upstream_changes.map(describeChange));
  } else if (node.upstream_changed) {
    lines.push('upstream changed: made by a run whose inputs have newer versions');
  }
  return lines.join('\n');
}

/** Element ids inside one graph's <svg>. Each graph has its own: several graphs live in one
 * document (the sidebar, pages in hidden tabs, notebook outputs), and `url(#id)` resolves to
 * the first element with that id in the document - one inside a hidden tab draws nothing, so
 * the arrowheads of every other graph were lost. */
export interface ISvgIds {
  arrow: string;
  stale: string;
}

let graphsMade = 0;

export function newSvgIds(): ISvgIds {
  graphsMade += 1;
  return { arrow: `lk-arrow-${graphsMade}`, stale: `lk-stale-symbol-${graphsMade}` };
}

/** The "upstream changed" badge in a node's top-right corner: one <use> of the symbol drawn
 * once in <defs> (hundreds of stale nodes stay cheap to draw). */
function StaleBadge(props: { node: IPositionedNode; symbol: string }): JSX.Element {
  return (
    <use
      href={`#${props.symbol}`}
      className="lk-StaleBadge"
      data-testid="lk-lineage-stale"
      x={props.node.width - 19}
      y={5}
      width={14}
      height={14}
    />
  );
}

/** The +/− toggle on a run node's kind line (left of the stale badge): expands it into cells. */
function CellToggle(props: {
  node: IPositionedNode;
  open: boolean;
  onToggle: () => void;
}): JSX.Element {
  const { node, open } = props;
  const toggle = (event: React.SyntheticEvent): void => {
    event.stopPropagation();
    props.onToggle();
  };
  return (
    <g
      className={`lk-CellToggle${open ? ' lk-mod-open' : ''}`}
      data-testid="lk-lineage-toggle-cells"
      data-open={open ? 'true' : 'false'}
      transform={`translate(${node.width - 44},4)`}
      role="button"
      tabIndex={0}
      aria-label={open ? 'Collapse the cells into the run' : 'Expand the run into its cells'}
      onClick={toggle}
      onKeyDown={event => {
        if (event.key === 'Enter' || event.key === ' ') {
          toggle(event);
        }
      }}
    >
      <title>{open ? 'Collapse the cells' : 'Expand into notebook cells'}</title>
      <rect width={16} height={14} rx={3} ry={3} />
      <text x={8} y={11}>
        {open ? '−' : '+'}
      </text>
    </g>
  );
}

export function LineageGraph(props: ILineageGraphProps): JSX.Element {
  const direction = props.direction ?? 'TB';
  const layout = useMemo(() => layoutGraph(props.graph, direction), [props.graph, direction]);
  const ids = useMemo(newSvgIds, []);
  useEffect(() => props.onLaidOut?.(layout.nodes.length), [layout]);
  const svgRef = useRef<SVGSVGElement>(null);
  const [view, setView] = useState<IViewTransform>({ x: 0, y: 0, k: 1 });
  const drag = useRef<{ x: number; y: number; moved: boolean } | null>(null);

  const fit = (): void => {
    const svg = svgRef.current;
    if (svg) {
      setView(fitTransform(layout, { width: svg.clientWidth, height: svg.clientHeight }));
    }
  };
  useEffect(fit, [layout, props.visible]);

  // React registers wheel listeners as passive; zooming must prevent page scrolling.
  useEffect(() => {
    const svg = svgRef.current;
    if (!svg) {
      return;
    }
    const onWheel = (event: WheelEvent): void => {
      event.preventDefault();
      const box = svg.getBoundingClientRect();
      const factor = Math.exp(-event.deltaY * 0.0015);
      setView(t => zoomAt(t, factor, event.clientX - box.left, event.clientY - box.top));
    };
    svg.addEventListener('wheel', onWheel, { passive: false });
    return () => svg.removeEventListener('wheel', onWheel);
  }, []);

  const zoomCentre = (factor: number): void => {
    const svg = svgRef.current;
    if (svg) {
      setView(t => zoomAt(t, factor, svg.clientWidth / 2, svg.clientHeight / 2));
    }
  };

  // nodes and edges are drawn once per layout: a pan or zoom only moves the group around them
  const content = useMemo(
    () => (
      <>
        {layout.edges.map(edge => (
          <path
            key={`${edge.source}->${edge.target}`}
            className={`lk-LineageEdge${edge.target.startsWith('cell:') && edge.source.startsWith('run:') ? ' lk-mod-cell' : ''}`}
            data-source={edge.source}
            data-target={edge.target}
            d={edgePath(edge.points, direction === 'TB')}
            markerEnd={`url(#${ids.arrow})`}
          />
        ))}
        {layout.nodes.map(node => (
          <g
            key={node.id}
            className={`lk-LineageNode lk-kind-${node.kind}${node.id === props.rootId ? ' lk-mod-root' : ''}${isStale(node) ? ' lk-mod-stale' : ''}`}
            data-testid="lk-lineage-node"
            data-node-id={node.id}
            data-kind={node.kind}
            data-stale={isStale(node) ? 'true' : undefined}
            transform={`translate(${node.x - node.width / 2},${node.y - node.height / 2})`}
            role="button"
            tabIndex={0}
            onClick={() => {
              if (!drag.current?.moved) {
                props.onOpen(node);
              }
            }}
            onKeyDown={event => {
              if (event.key === 'Enter') {
                props.onOpen(node);
              }
            }}
          >
            <title>{tooltip(node)}</title>
            <rect width={node.width} height={node.height} rx={6} ry={6} />
            <text x={8} y={15} className="lk-LineageKind">
              {node.kind}
            </text>
            <text x={8} y={31} className="lk-LineageLabel">
              {shortLabel(node.label || node.uid)}
            </text>
            {isStale(node) && <StaleBadge node={node} symbol={ids.stale} />}
            {props.onToggleCells && props.canExpand?.(node) && (
              <CellToggle
                node={node}
                open={!!props.expanded?.has(node.uid)}
                onToggle={() => props.onToggleCells?.(node)}
              />
            )}
          </g>
        ))}
      </>
    ),
    [
      layout,
      direction,
      ids,
      props.rootId,
      props.onOpen,
      props.expanded,
      props.canExpand,
      props.onToggleCells
    ]
  );

  return (
    <div className="lk-LineageGraph">
      <div className="lk-ZoomButtons">
        <ToolButton
          icon={addIcon}
          tooltip="Zoom in"
          testid="lk-lineage-zoom-in"
          onClick={() => zoomCentre(1.25)}
        />
        <ToolButton
          icon={zoomOutIcon}
          tooltip="Zoom out"
          testid="lk-lineage-zoom-out"
          onClick={() => zoomCentre(0.8)}
        />
        <ToolButton icon={fitIcon} tooltip="Fit to view" testid="lk-lineage-fit" onClick={fit} />
      </div>
      <svg
        ref={svgRef}
        className="lk-LineageSvg"
        data-testid="lk-lineage-graph"
        data-zoom={view.k.toFixed(3)}
        data-nodes={layout.nodes.length}
        role="img"
        aria-label="Lineage graph"
        onPointerDown={event => {
          if (event.button !== 0) {
            return;
          }
          drag.current = { x: event.clientX, y: event.clientY, moved: false };
        }}
        onPointerMove={event => {
          const start = drag.current;
          if (!start) {
            return;
          }
          const dx = event.clientX - start.x;
          const dy = event.clientY - start.y;
          if (!start.moved && Math.abs(dx) + Math.abs(dy) < 3) {
            return;
          }
          if (!start.moved) {
            (event.currentTarget as SVGSVGElement).setPointerCapture?.(event.pointerId);
          }
          drag.current = { x: event.clientX, y: event.clientY, moved: true };
          setView(t => ({ ...t, x: t.x + dx, y: t.y + dy }));
        }}
        onPointerUp={() => {
          // a click on a node after a drag is ignored (see onClick below)
          window.setTimeout(() => (drag.current = null), 0);
        }}
      >
        <defs>
          <marker
            id={ids.arrow}
            viewBox="0 0 10 10"
            refX="10"
            refY="5"
            markerWidth="7"
            markerHeight="7"
            orient="auto-start-reverse"
          >
            <path d="M 0 0 L 10 5 L 0 10 z" className="lk-LineageArrow" />
          </marker>
          <symbol id={ids.stale} className="lk-StaleSymbol" viewBox="-8 -8 16 16">
            <circle r={7.5} />
            <text y={4}>!</text>
          </symbol>
        </defs>
        <g transform={`translate(${view.x},${view.y}) scale(${view.k})`}>{content}</g>
      </svg>
    </div>
  );
}
