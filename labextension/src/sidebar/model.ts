/** What the sidebar shows; panels read it and the plugin's commands change it. */
import { ISignal, Signal } from '@lumino/signaling';

import { IRecordRef, ValidationTarget } from '../models';
import { SidebarTab } from '../tokens';

/** What panels may ask the application to do. */
export interface ISidebarActions {
  /** Open a record's page in the main area. */
  openRecord(ref: IRecordRef): void;
  /** Open a record's lineage at full size in the main area. */
  openLineagePage(ref: IRecordRef): void;
  showLineage(ref: IRecordRef | null): void;
  showValidation(target: ValidationTarget | null): void;
  openRunReport(runUid: string): void;
  /** Insert code below the active cell of the active notebook; false if there is none. */
  insertCode(code: string): Promise<boolean>;
  copy(text: string): void;
  /** Track the active notebook (insert and run `ln.track()`). */
  trackNotebook(): void;
}

export class SidebarModel {
  private _tab: SidebarTab = 'registries';
  private _lineageTarget: IRecordRef | null = null;
  private _validationTarget: ValidationTarget | null = null;
  private _generation = 0;
  private _changed = new Signal<this, void>(this);

  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get tab(): SidebarTab {
    return this._tab;
  }

  /** The lineage root (null: the active notebook's current run). */
  get lineageTarget(): IRecordRef | null {
    return this._lineageTarget;
  }

  /** The validation reports' subject (null: the active notebook's current run). */
  get validationTarget(): ValidationTarget | null {
    return this._validationTarget;
  }

  /** Grows on every refresh request; panels reload when it changes. */
  get generation(): number {
    return this._generation;
  }

  setTab(tab: SidebarTab): void {
    this._tab = tab;
    this._changed.emit();
  }

  showLineage(ref: IRecordRef | null): void {
    this._tab = 'lineage';
    this._lineageTarget = ref;
    this._changed.emit();
  }

  showValidation(target: ValidationTarget | null): void {
    this._tab = 'validation';
    this._validationTarget = target;
    this._changed.emit();
  }

  refresh(): void {
    this._generation += 1;
    this._changed.emit();
  }
}
