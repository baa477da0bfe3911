/** Filters by label and by feature, sent as repeated `filter=field:lookup:value`. */
import { closeIcon } from '@jupyterlab/ui-components';
import React, { useState } from 'react';

import { FilterLookup, IRecordFilter } from '../models';
import { describeFilter, featureFilter, labelFilter, LOOKUPS, parseFilter } from './helpers';

export interface IFilterBarProps {
  filters: IRecordFilter[];
  fieldNames: string[];
  onChange: (filters: IRecordFilter[]) => void;
}

export function FilterBar(props: IFilterBarProps): JSX.Element {
  const [labels, setLabels] = useState('');
  const [feature, setFeature] = useState('');
  const [lookup, setLookup] = useState<FilterLookup>('exact');
  const [value, setValue] = useState('');
  const add = (filter: IRecordFilter | null): void => {
    if (filter) {
      props.onChange([...props.filters, filter]);
    }
  };
  const addFeature = (): void => {
    // "field:lookup:value" typed into the feature box is taken as a whole filter
    const parsed = !value && feature.includes(':') ? parseFilter(feature) : null;
    add(parsed ?? featureFilter(feature, lookup, value));
    setFeature('');
    setValue('');
  };
  return (
    <div className="lk-FilterBar" data-testid="lk-filter-bar">
      <form
        className="lk-FilterRow"
        onSubmit={event => {
          event.preventDefault();
          add(labelFilter(labels));
          setLabels('');
        }}
      >
        <input
          className="lk-Input"
          data-testid="lk-filter-label"
          placeholder="Labels (comma-separated)"
          value={labels}
          onChange={event => setLabels(event.target.value)}
        />
        <button className="lk-Button" type="submit" data-testid="lk-filter-label-add">
          + Label
        </button>
      </form>
      <form
        className="lk-FilterRow"
        onSubmit={event => {
          event.preventDefault();
          addFeature();
        }}
      >
        <input
          className="lk-Input lk-mod-narrow"
          data-testid="lk-filter-feature"
          placeholder="Feature or field"
          list="lk-filter-fields"
          value={feature}
          onChange={event => setFeature(event.target.value)}
        />
        <datalist id="lk-filter-fields">
          {props.fieldNames.map(name => (
            <option key={name} value={name} />
          ))}
        </datalist>
        <select
          className="lk-Select"
          data-testid="lk-filter-lookup"
          value={lookup}
          onChange={event => setLookup(event.target.value as FilterLookup)}
        >
          {LOOKUPS.map(name => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
        <input
          className="lk-Input lk-mod-narrow"
          data-testid="lk-filter-value"
          placeholder="Value"
          value={value}
          onChange={event => setValue(event.target.value)}
        />
        <button className="lk-Button" type="submit" data-testid="lk-filter-feature-add">
          + Filter
        </button>
      </form>
      {props.filters.length > 0 && (
        <ul className="lk-Chips" data-testid="lk-filter-chips">
          {props.filters.map((filter, index) => (
            <li key={index} className="lk-Chip" data-testid="lk-filter-chip">
              <span>{describeFilter(filter)}</span>
              <button
                className="lk-ChipRemove"
                title="Remove this filter"
                aria-label={`Remove filter ${describeFilter(filter)}`}
                onClick={() => props.onChange(props.filters.filter((_, i) => i !== index))}
              >
                <closeIcon.react tag="span" className="lk-ChipRemoveIcon" />
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
