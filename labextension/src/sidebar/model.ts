/** What the sidebar shows; panels read it and the plugin's commands change it. */
import { ISignal, Signal } from '@lumino/signaling';

import { IRecordRef, ValidationTarget } from '../models';
import { SidebarTab } from '../tokens';

/** What panels may ask the application to do. */
export interface ISidebarActions {
  openRecord(ref: IRecordRef): void;
  showLineage(ref: IRecordRef | null): void;
  showValidation(target: ValidationTarget | null): void;
  openRunReport(runUid: string): void;
  /** Insert code below the active cell of the active notebook; false if there is none. */
  insertCode(code: string): Promise<boolean>;
  copy(text: string): void;
}

export class SidebarModel {
  private _tab: SidebarTab = 'registries';
  private _record: IRecordRef | null = null;
  private _registry: string | null = null;
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

  /** The registry chosen in the browser (null: the first one). */
  get registry(): string | null {
    return this._registry;
  }

  /** The record whose detail is open (null: the table is shown). */
  get record(): IRecordRef | null {
    return this._record;
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

  setRegistry(name: string): void {
    if (name !== this._registry) {
      this._registry = name;
      this._record = null;
      this._changed.emit();
    }
  }

  openRecord(ref: IRecordRef): void {
    this._tab = 'registries';
    this._registry = ref.registry;
    this._record = ref;
    this._changed.emit();
  }

  closeRecord(): void {
    this._record = null;
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
