/** The Lamin sidebar: instance name, then Registries, Lineage and Validation tabs. */
import React from 'react';

import { getInstance, listRegistries } from '../api';
import { LineagePanel } from '../lineage/LineagePanel';
import { IRecordRef, ValidationTarget } from '../models';
import { RegistryBrowser } from '../registry/RegistryBrowser';
import { LaminSettings } from '../settings';
import { ILaminNotebookState, SidebarTab } from '../tokens';
import { ValidationPanel } from '../validation/ValidationPanel';
import { useAsync, useSignal } from './hooks';
import { ISidebarActions, SidebarModel } from './model';

export interface ISidebarViewProps {
  model: SidebarModel;
  actions: ISidebarActions;
  settings: LaminSettings;
  notebookState: ILaminNotebookState | null;
}

const TABS: Array<{ id: SidebarTab; label: string }> = [
  { id: 'registries', label: 'Registries' },
  { id: 'lineage', label: 'Lineage' },
  { id: 'validation', label: 'Validation' }
];

/** The current run of the active notebook, if it is tracked. */
function currentRun(notebookState: ILaminNotebookState | null): string | null {
  const state = notebookState?.active;
  return state && state.tracked ? state.run.uid : null;
}

export function SidebarView(props: ISidebarViewProps): JSX.Element {
  const { model, actions, settings, notebookState } = props;
  useSignal(model.changed);
  useSignal(settings.changed);
  useSignal(notebookState ? notebookState.activeChanged : model.changed);

  const instance = useAsync(() => getInstance(), [model.generation]);
  const registries = useAsync(() => listRegistries(), [model.generation]);

  const runUid = currentRun(notebookState);
  const lineageTarget: IRecordRef | null =
    model.lineageTarget ?? (runUid ? { registry: 'Run', uid: runUid } : null);
  const validationTarget: ValidationTarget | null =
    model.validationTarget ?? (runUid ? { run: runUid } : null);

  return (
    <div className="lk-Sidebar">
      <header className="lk-Header">
        <span
          className="lk-InstanceName"
          data-testid="lk-instance-name"
          title={instance.data?.slug}
        >
          {instance.data ? instance.data.name : instance.error ? 'Lamin (not connected)' : 'Lamin'}
        </span>
        {instance.data && (
          <span className="lk-Muted" data-testid="lk-instance-info">
            {instance.data.db} · {instance.data.branch}
          </span>
        )}
        <button
          className="lk-Button lk-RefreshButton"
          data-testid="lk-refresh"
          title="Refresh"
          aria-label="Refresh"
          onClick={() => model.refresh()}
        >
          ⟳
        </button>
      </header>
      {instance.error && (
        <div className="lk-Error" data-testid="lk-instance-error">
          {instance.error}
        </div>
      )}
      <nav className="lk-Tabs" role="tablist">
        {TABS.map(tab => (
          <button
            key={tab.id}
            role="tab"
            aria-selected={model.tab === tab.id}
            className={`lk-Tab${model.tab === tab.id ? ' lk-mod-active' : ''}`}
            data-testid={`lk-tab-${tab.id}`}
            onClick={() => model.setTab(tab.id)}
          >
            {tab.label}
          </button>
        ))}
      </nav>
      <section
        className="lk-TabPanel"
        role="tabpanel"
        data-testid="lk-panel-registries"
        hidden={model.tab !== 'registries'}
      >
        {registries.error && (
          <div className="lk-Error" data-testid="lk-error">
            {registries.error}
          </div>
        )}
        {registries.data && (
          <RegistryBrowser
            model={model}
            actions={actions}
            registries={registries.data.registries}
            pageSize={settings.values.page_size}
          />
        )}
      </section>
      <section
        className="lk-TabPanel"
        role="tabpanel"
        data-testid="lk-panel-lineage"
        hidden={model.tab !== 'lineage'}
      >
        <LineagePanel
          target={lineageTarget}
          fromNotebook={!model.lineageTarget}
          depth={settings.values.lineage_depth}
          generation={model.generation}
          visible={model.tab === 'lineage'}
          actions={actions}
        />
      </section>
      <section
        className="lk-TabPanel"
        role="tabpanel"
        data-testid="lk-panel-validation"
        hidden={model.tab !== 'validation'}
      >
        <ValidationPanel
          target={validationTarget}
          fromNotebook={!model.validationTarget}
          generation={model.generation}
          visible={model.tab === 'validation'}
          actions={actions}
        />
      </section>
    </div>
  );
}
