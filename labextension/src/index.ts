/** The lamin-kernel JupyterLab extension: this module only lists its plugins. */
import { JupyterFrontEndPlugin } from '@jupyterlab/application';

import { commandsPlugin } from './commands/plugin';
import { settingsPlugin, sidebarPlugin } from './sidebar/plugin';
import { notebookStatePlugin, statusBarPlugin } from './status/plugin';

const plugins: JupyterFrontEndPlugin<unknown>[] = [
  settingsPlugin,
  notebookStatePlugin,
  sidebarPlugin,
  statusBarPlugin,
  commandsPlugin
];

export default plugins;
