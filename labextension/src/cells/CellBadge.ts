/**
 * The footer badge of a notebook cell that saved or loaded records: `1 in · 2 out`; a click
 * lists them (each opens its page) with the run they belong to.
 */
import { Widget } from '@lumino/widgets';

import { IRecordRef } from '../models';
import { ICellLinks, ICellRecordRef, badgeText } from './model';

export interface IBadgeState {
  links: ICellLinks;
  runUid: string;
  /** The cell's source differs from the one that ran in that run. */
  changed: boolean;
}

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string,
  text?: string
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}

export class CellBadge extends Widget {
  private _state: IBadgeState | null = null;
  private _open = false;
  private readonly _button = element('button', 'lk-CellBadge-button');
  private readonly _list = element('div', 'lk-CellBadge-list');

  constructor(private readonly _openRecord: (ref: IRecordRef) => void) {
    super();
    this.addClass('lk-CellBadge');
    this.node.dataset.testid = 'lk-cell-badge';
    this._button.type = 'button';
    this._button.dataset.testid = 'lk-cell-badge-button';
    this._button.setAttribute('aria-expanded', 'false');
    this._button.addEventListener('click', event => {
      event.stopPropagation();
      this.toggle();
    });
    this._list.dataset.testid = 'lk-cell-badge-list';
    this._list.setAttribute('role', 'list');
    this._list.hidden = true;
    this.node.append(this._button, this._list);
  }

  get state(): IBadgeState | null {
    return this._state;
  }

  /** Show another cell state; the list stays open if it was. */
  setState(state: IBadgeState): void {
    this._state = state;
    const text = badgeText(state.links);
    this._button.textContent = state.changed ? `${text} · changed` : text;
    this._button.title =
      `In run ${state.runUid} this cell loaded ${state.links.inputs.length} and saved ` +
      `${state.links.outputs.length} record(s)` +
      (state.changed ? '; the cell has changed since' : '') +
      '. Click to list them.';
    this.toggleClass('lk-mod-changed', state.changed);
    this._renderList();
  }

  toggle(open: boolean = !this._open): void {
    this._open = open;
    this._list.hidden = !open;
    this._button.setAttribute('aria-expanded', String(open));
  }

  private _renderList(): void {
    const state = this._state;
    this._list.replaceChildren();
    if (!state) {
      return;
    }
    const rows = [
      ...state.links.inputs.map(ref => this._row('in', ref)),
      ...state.links.outputs.map(ref => this._row('out', ref))
    ];
    const footer = element('div', 'lk-CellBadge-run', `run ${state.runUid}`);
    if (state.changed) {
      footer.append(element('span', 'lk-CellBadge-changed', ' · the cell has changed since'));
    }
    this._list.append(...rows, footer);
  }

  private _row(direction: 'in' | 'out', ref: ICellRecordRef): HTMLElement {
    const row = element('button', 'lk-CellBadge-item');
    row.type = 'button';
    row.setAttribute('role', 'listitem');
    row.dataset.testid = `lk-cell-badge-${direction}`;
    row.dataset.uid = ref.uid;
    row.title = `Open ${ref.registry} ${ref.uid}`;
    row.append(
      element('span', `lk-CellBadge-direction lk-mod-${direction}`, direction),
      element('span', 'lk-CellBadge-label', ref.label)
    );
    if (ref.version_tag) {
      row.append(element('span', 'lk-Muted', ` v${ref.version_tag}`));
    }
    row.addEventListener('click', event => {
      event.stopPropagation();
      this._openRecord({ registry: ref.registry, uid: ref.uid });
    });
    return row;
  }
}
