/** User settings of the extension (schema: labextension/schema/plugin.json). */
import { ISignal, Signal } from '@lumino/signaling';

export interface ILaminSettingsValues {
  /** Rows per page in the registry browser (1..200). */
  page_size: number;
  /** Initial lineage depth in each direction (1..10). */
  lineage_depth: number;
  /** Refresh the open panels every N seconds; 0 turns it off. */
  auto_refresh_seconds: number;
}

export const DEFAULT_SETTINGS: ILaminSettingsValues = {
  page_size: 50,
  lineage_depth: 3,
  auto_refresh_seconds: 0
};

function intIn(value: unknown, min: number, max: number, fallback: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return fallback;
  }
  return Math.min(max, Math.max(min, Math.trunc(value)));
}

/** Settings as the setting registry hands them over, checked and clamped. */
export function normalizeSettings(raw: { [key: string]: unknown } | null): ILaminSettingsValues {
  const source = raw ?? {};
  return {
    page_size: intIn(source.page_size, 1, 200, DEFAULT_SETTINGS.page_size),
    lineage_depth: intIn(source.lineage_depth, 1, 10, DEFAULT_SETTINGS.lineage_depth),
    auto_refresh_seconds: intIn(
      source.auto_refresh_seconds,
      0,
      24 * 3600,
      DEFAULT_SETTINGS.auto_refresh_seconds
    )
  };
}

/** The current settings, shared by all plugins, with a signal on change. */
export class LaminSettings {
  private _values: ILaminSettingsValues = { ...DEFAULT_SETTINGS };
  private _changed = new Signal<this, ILaminSettingsValues>(this);

  get values(): ILaminSettingsValues {
    return this._values;
  }

  get changed(): ISignal<this, ILaminSettingsValues> {
    return this._changed;
  }

  update(raw: { [key: string]: unknown } | null): void {
    this._values = normalizeSettings(raw);
    this._changed.emit(this._values);
  }
}
