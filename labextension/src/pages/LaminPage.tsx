/** The widget of a main-area page (inside a MainAreaWidget). */
import { MainAreaWidget } from '@jupyterlab/apputils';
import { ReactWidget } from '@jupyterlab/ui-components';
import { Message } from '@lumino/messaging';
import { ISignal, Signal } from '@lumino/signaling';
import React from 'react';

import { laminIcon } from '../sidebar/LaminSidebar';
import { IPageContext } from './context';
import { PageView } from './PageView';
import { pageId, PageTarget } from './target';

export class LaminPage extends ReactWidget {
  private _target: PageTarget;
  private _retargeted = new Signal<this, PageTarget>(this);
  private _watch: { dispose(): void } | null = null;

  constructor(
    target: PageTarget,
    private readonly _context: IPageContext
  ) {
    super();
    this._target = target;
    this.addClass('lk-PageWidget');
  }

  get target(): PageTarget {
    return this._target;
  }

  /** Emits when the page now shows another record (a version switch). */
  get retargeted(): ISignal<this, PageTarget> {
    return this._retargeted;
  }

  setTarget(target: PageTarget): void {
    this._target = target;
    this._retargeted.emit(target);
    this.update();
  }

  protected onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    this._watch = this._context.live.watch(() => this.isVisible);
  }

  protected onBeforeDetach(msg: Message): void {
    this._watch?.dispose();
    this._watch = null;
    super.onBeforeDetach(msg);
  }

  render(): JSX.Element {
    return (
      <PageView
        key={JSON.stringify(this._target)}
        target={this._target}
        context={this._context}
        onRetarget={target => this.setTarget(target)}
        onTitle={(label, caption) => {
          const parent = this.parent;
          if (parent) {
            parent.title.label = label;
            parent.title.caption = caption;
          }
        }}
        isVisible={() => this.isVisible}
      />
    );
  }
}

/** A MainAreaWidget around a page, with the Lamin icon and a closable tab. */
export function createPage(target: PageTarget, context: IPageContext): MainAreaWidget<LaminPage> {
  const content = new LaminPage(target, context);
  const widget = new MainAreaWidget({ content });
  widget.id = pageId(target);
  widget.title.icon = laminIcon;
  widget.title.closable = true;
  widget.title.label =
    target.view === 'compare' ? 'Compare runs' : `${target.registry} ${target.uid.slice(0, 8)}`;
  widget.addClass('lk-MainPage');
  content.retargeted.connect((_, next) => {
    widget.id = pageId(next);
  });
  return widget;
}
