/** The lamin-kernel JupyterLab extension: this module only lists its plugins. */
import { JupyterFrontEndPlugin } from '@jupyterlab/application';

import { contextMenusPlugin } from './commands/contextMenus';
import { cellsPlugin } from './cells/plugin';
import { commandsPlugin } from './commands/plugin';
import { lineageMimePlugin } from './lineage/mime';
import { livePlugin } from './live/plugin';
import { pagesPlugin } from './pages/plugin';
import { settingsPlugin, sidebarPlugin } from './sidebar/plugin';
import { notebookStatePlugin, statusBarPlugin } from './status/plugin';

const plugins: JupyterFrontEndPlugin<unknown>[] = [
  settingsPlugin,
  livePlugin,
  notebookStatePlugin,
  sidebarPlugin,
  pagesPlugin,
  statusBarPlugin,
  commandsPlugin,
  contextMenusPlugin,
  lineageMimePlugin,
  cellsPlugin
];

export default plugins;
