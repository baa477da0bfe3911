/** A main-area tab showing a run's HTML report in a fully sandboxed iframe. */
import { MainAreaWidget } from '@jupyterlab/apputils';
import { Widget } from '@lumino/widgets';

import { runReportUrl } from '../api';
import { reportCellFragment } from '../cells/model';

/** The report's URL, at a cell's anchor when a cell id is given. */
export function reportUrl(runUid: string, cellId?: string | null): string {
  const url = runReportUrl(runUid);
  if (!cellId) {
    return url;
  }
  // nbformat ids are letters, digits, '-' and '_'; anything else is percent-encoded
  const fragment = reportCellFragment(cellId);
  return `${url}#${/^[\w=-]+$/.test(fragment) ? fragment : encodeURIComponent(fragment)}`;
}

export function createRunReport(runUid: string, cellId?: string | null): MainAreaWidget<Widget> {
  const content = new Widget();
  content.addClass('lk-RunReport');
  const frame = document.createElement('iframe');
  // An empty sandbox: no scripts, no same-origin access, no forms, no top navigation.
  frame.setAttribute('sandbox', '');
  frame.setAttribute('referrerpolicy', 'no-referrer');
  frame.setAttribute('data-testid', 'lk-run-report-frame');
  frame.className = 'lk-RunReportFrame';
  frame.title = `Report of run ${runUid}`;
  frame.src = reportUrl(runUid, cellId);
  content.node.appendChild(frame);
  const widget = new MainAreaWidget({ content });
  widget.id = `lamin-run-report-${runUid}`;
  widget.title.label = `Run ${runUid.slice(0, 7)} report`;
  widget.title.caption = `Report of run ${runUid}`;
  widget.title.closable = true;
  widget.addClass('lk-RunReportPanel');
  return widget;
}

/** Scroll an open report tab to a cell (nothing to do without one). */
export function showReportCell(widget: Widget, runUid: string, cellId?: string | null): void {
  const frame = widget.node.querySelector<HTMLIFrameElement>('iframe.lk-RunReportFrame');
  if (frame && cellId) {
    frame.src = reportUrl(runUid, cellId);
  }
}
