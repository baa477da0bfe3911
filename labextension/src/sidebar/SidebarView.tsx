/** The Lamin sidebar: instance name, then Registries, Lineage and Validation tabs. */
import { refreshIcon, ToolbarButtonComponent } from '@jupyterlab/ui-components';
import React from 'react';

import { createInstance, getInstance, listRegistries } from '../api';
import { EmptyState } from '../common/components';
import { LineagePanel } from '../lineage/LineagePanel';
import { IRecordRef, ValidationTarget } from '../models';
import { RegistryBrowser } from '../registry/RegistryBrowser';
import { BrowserState } from '../registry/state';
import { LaminSettings } from '../settings';
import { ILaminNotebookState, SidebarTab } from '../tokens';
import { ValidationPanel } from '../validation/ValidationPanel';
import { useAsync, useSignal } from './hooks';
import { ISidebarActions, SidebarModel } from './model';

export interface ISidebarViewProps {
  model: SidebarModel;
  browser: BrowserState;
  actions: ISidebarActions;
  settings: LaminSettings;
  notebookState: ILaminNotebookState | null;
}

/** The panel of one sidebar tab, hidden while another tab is chosen. */
function TabPanel(props: {
  tab: SidebarTab;
  current: SidebarTab;
  children: React.ReactNode;
}): JSX.Element {
  return (
    <section
      className="lk-TabPanel"
      role="tabpanel"
      id={`lk-panel-${props.tab}`}
      aria-labelledby={`lk-tab-${props.tab}`}
      data-testid={`lk-panel-${props.tab}`}
      hidden={props.current !== props.tab}
    >
      {props.children}
    </section>
  );
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

/** Offer "Create instance" only when the server says no usable instance is connected (by the
 * error's class, not its wording: an unrelated error may mention "instance"). */
export function isNoInstance(errorType: string | null): boolean {
  return errorType === 'InstanceNotSetupError';
}

/** The server's answer when no instance is set up at all: a hint written for a terminal. */
const NOTHING_SET_UP = /^no instance is set up\b/i;

export function NoInstance(props: { message: string; onCreated: () => void }): JSX.Element {
  const [error, setError] = React.useState<string | null>(null);
  return (
    <EmptyState title="No Lamin instance yet" testid="lk-no-instance">
      {/* that hint names `./mydata` and would contradict the folder below; any other message
          (such as a LaminDB instance in the folder) says something the user needs */}
      {!NOTHING_SET_UP.test(props.message) && <p>{props.message}</p>}
      <p>
        An instance keeps your data and its lineage. Create one in <code>./lamin-data</code> next to
        your notebooks (like <code>lamin init --storage ./lamin-data</code>):
      </p>
      <button
        className="lk-Button lk-mod-accept"
        data-testid="lk-create-instance"
        onClick={() =>
          createInstance('lamin-data').then(props.onCreated, reason =>
            setError(reason instanceof Error ? reason.message : String(reason))
          )
        }
      >
        Create instance
      </button>
      {error && <div className="lk-Error">{error}</div>}
    </EmptyState>
  );
}

export function SidebarView(props: ISidebarViewProps): JSX.Element {
  const { model, actions, settings, notebookState } = props;
  useSignal(model.changed);
  useSignal(settings.changed);
  useSignal(notebookState ? notebookState.activeChanged : model.changed);

  const instance = useAsync(() => getInstance(), [model.generation]);
  const registries = useAsync(() => listRegistries(), [model.generation]);
  const noInstance = isNoInstance(instance.errorType);

  const runUid = currentRun(notebookState);
  const lineageTarget: IRecordRef | null =
    model.lineageTarget ?? (runUid ? { registry: 'Run', uid: runUid } : null);
  const validationTarget: ValidationTarget | null =
    model.validationTarget ?? (runUid ? { run: runUid } : null);

  const header = (
    <header className="lk-Header">
      <span className="lk-InstanceName" data-testid="lk-instance-name" title={instance.data?.slug}>
        {instance.data ? instance.data.name : 'Lamin'}
      </span>
      {(instance.data || instance.error) && (
        <span className="lk-Muted" data-testid="lk-instance-info">
          {instance.data ? `${instance.data.db} · ${instance.data.branch}` : 'not connected'}
        </span>
      )}
      <span data-testid="lk-refresh">
        <ToolbarButtonComponent
          icon={refreshIcon}
          tooltip="Refresh"
          onClick={() => model.refresh()}
        />
      </span>
    </header>
  );
  if (noInstance) {
    // the tabs would show nothing: the no-instance box is the whole sidebar
    return (
      <div className="lk-Sidebar">
        {header}
        <NoInstance message={instance.error ?? ''} onCreated={() => model.refresh()} />
      </div>
    );
  }
  return (
    <div className="lk-Sidebar">
      {header}
      {instance.error && (
        <div className="lk-Error" data-testid="lk-instance-error">
          {instance.error}
        </div>
      )}
      <nav className="lk-Tabs" role="tablist" aria-label="Lamin views">
        {TABS.map(tab => (
          <button
            key={tab.id}
            role="tab"
            id={`lk-tab-${tab.id}`}
            aria-controls={`lk-panel-${tab.id}`}
            aria-selected={model.tab === tab.id}
            className={`lk-Tab${model.tab === tab.id ? ' lk-mod-active' : ''}`}
            data-testid={`lk-tab-${tab.id}`}
            onClick={() => model.setTab(tab.id)}
          >
            {tab.label}
          </button>
        ))}
      </nav>
      <TabPanel tab="registries" current={model.tab}>
        {registries.error && (
          <div className="lk-Error" data-testid="lk-error">
            {registries.error}
          </div>
        )}
        {registries.data && (
          <RegistryBrowser
            state={props.browser}
            registries={registries.data.registries}
            pageSize={settings.values.page_size}
            generation={model.generation}
            onOpen={(registry, row) => actions.openRecord({ registry, uid: row.uid })}
            onTrack={actions.trackNotebook}
          />
        )}
      </TabPanel>
      <TabPanel tab="lineage" current={model.tab}>
        <LineagePanel
          target={lineageTarget}
          fromNotebook={!model.lineageTarget}
          depth={settings.values.lineage_depth}
          generation={model.generation}
          visible={model.tab === 'lineage'}
          onOpen={actions.openRecord}
          onOpenFull={actions.openLineagePage}
        />
      </TabPanel>
      <TabPanel tab="validation" current={model.tab}>
        <ValidationPanel
          target={validationTarget}
          fromNotebook={!model.validationTarget}
          generation={model.generation}
          visible={model.tab === 'validation'}
          actions={actions}
        />
      </TabPanel>
    </div>
  );
}
