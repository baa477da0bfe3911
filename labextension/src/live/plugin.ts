/** Plugin: the live-state service every Lamin view reloads from. */
import { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';

import { getChangeToken } from '../api';
import { CommandIDs, ILaminLive } from '../tokens';
import { LiveState } from './LiveState';

export const livePlugin: JupyterFrontEndPlugin<LiveState> = {
  id: 'lamin-kernel:live',
  description:
    'Reloads Lamin views when a kernel saves, loads or finishes, or another process writes.',
  autoStart: true,
  provides: ILaminLive,
  activate: (app: JupyterFrontEnd) => {
    const live = new LiveState({ fetchToken: async () => (await getChangeToken()).token });
    app.commands.addCommand(CommandIDs.refresh, {
      label: 'Refresh Lamin Views',
      caption: 'Reload the Lamin sidebar and pages',
      execute: () => live.notify('manual')
    });
    return live;
  }
};
