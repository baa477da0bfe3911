/** A main-area tab showing a run's HTML report in a fully sandboxed iframe. */
import { MainAreaWidget } from '@jupyterlab/apputils';
import { Widget } from '@lumino/widgets';

import { runReportUrl } from '../api';

export function createRunReport(runUid: string): MainAreaWidget<Widget> {
  const content = new Widget();
  content.addClass('lk-RunReport');
  const frame = document.createElement('iframe');
  // An empty sandbox: no scripts, no same-origin access, no forms, no top navigation.
  frame.setAttribute('sandbox', '');
  frame.setAttribute('referrerpolicy', 'no-referrer');
  frame.setAttribute('data-testid', 'lk-run-report-frame');
  frame.className = 'lk-RunReportFrame';
  frame.title = `Report of run ${runUid}`;
  frame.src = runReportUrl(runUid);
  content.node.appendChild(frame);
  const widget = new MainAreaWidget({ content });
  widget.id = `lamin-run-report-${runUid}`;
  widget.title.label = `Run ${runUid.slice(0, 7)} report`;
  widget.title.caption = `Report of run ${runUid}`;
  widget.title.closable = true;
  widget.addClass('lk-RunReportPanel');
  return widget;
}
