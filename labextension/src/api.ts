/**
 * The one REST client of the lamin_kernel server extension (docs/rest-api.md).
 *
 * Every function takes optional `ServerConnection.ISettings` so that tests
 * (and other front ends) can pass their own base URL and fetch; by default the
 * page's settings are used, which carry Jupyter's token and XSRF handling.
 */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

import {
  IArtifactEdit,
  IArtifactPreview,
  IChangeToken,
  IEnvironmentDiff,
  IInstance,
  ILabeledRef,
  ILineageGraph,
  INotebookState,
  IRecordDetail,
  IRecordFilter,
  IRecordPage,
  IRecordQuery,
  IRegistryList,
  IRunComparison,
  IRunList,
  IRunOverview,
  IValidationReportList,
  IVersionDiff,
  LineageDirection,
  ValidationTarget
} from './models';
import { IArtifactCells, INotebookCells } from './cells/model';

/** Path of the API below the server's base URL. */
export const API_PREFIX = 'lamin/api';

export const PAGE_SIZE_MAX = 200;
export const LINEAGE_DEPTH_MAX = 10;
export const PREVIEW_ROWS_MAX = 200;
export const PREVIEW_OFFSET_MAX = 1e11;
/** Rows a page of the Artifact page's table preview. */
export const PREVIEW_PAGE_ROWS = 20;

/** A failed request: HTTP status, the server's `ln.errors` class name, its message. */
export class LaminApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string
  ) {
    super(message);
    this.name = 'LaminApiError';
  }

  /** True when the server extension is missing or the record is unknown. */
  get isNotFound(): boolean {
    return this.status === 404;
  }
}

type QueryValue = string | number | boolean | undefined | null | Array<string | number>;
export type QueryParams = { [name: string]: QueryValue };

let defaultSettings: ServerConnection.ISettings | null = null;

function serverSettings(settings?: ServerConnection.ISettings): ServerConnection.ISettings {
  if (settings) {
    return settings;
  }
  if (!defaultSettings) {
    defaultSettings = ServerConnection.makeSettings();
  }
  return defaultSettings;
}

/** Clamp an integer option into the range the server accepts. */
export function clampInt(value: number, min: number, max: number): number {
  if (!Number.isFinite(value)) {
    return min;
  }
  return Math.min(max, Math.max(min, Math.trunc(value)));
}

/** Encode query parameters; arrays repeat the name, empty values are left out. */
export function buildQuery(params: QueryParams): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') {
      continue;
    }
    if (Array.isArray(value)) {
      value.forEach(item => search.append(name, String(item)));
    } else {
      search.append(name, String(value));
    }
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** Percent-encode one path segment; `.` and `..` too, so they cannot climb out of the API. */
export function encodeSegment(segment: string | number): string {
  const text = String(segment);
  if (!text) {
    throw new LaminApiError(400, 'InvalidArgument', 'An empty name or uid is not allowed.');
  }
  const encoded = encodeURIComponent(text);
  return /^\.+$/.test(encoded) ? encoded.replace(/\./g, '%2E') : encoded;
}

/** The absolute URL of an API route; path segments are percent-encoded. */
export function apiUrl(
  segments: Array<string | number>,
  params: QueryParams = {},
  settings?: ServerConnection.ISettings
): string {
  const path = segments.map(encodeSegment);
  return URLExt.join(serverSettings(settings).baseUrl, API_PREFIX, ...path) + buildQuery(params);
}

/** Serialise one filter as the server's `field:lookup:value`. */
export function serializeFilter(filter: IRecordFilter): string {
  const field = filter.field.trim();
  if (!field || field.includes(':')) {
    throw new LaminApiError(400, 'InvalidArgument', `Invalid filter field: "${filter.field}"`);
  }
  if (filter.lookup.includes(':')) {
    throw new LaminApiError(400, 'InvalidArgument', `Invalid filter lookup: "${filter.lookup}"`);
  }
  const value = Array.isArray(filter.value)
    ? filter.value.map(v => String(v).trim()).join(',')
    : String(filter.value);
  return `${field}:${filter.lookup}:${value}`;
}

/** Query parameters of GET registries/<name>/records. */
export function recordQueryParams(query: IRecordQuery): QueryParams {
  return {
    page: query.page !== undefined ? Math.max(1, Math.trunc(query.page)) : undefined,
    page_size:
      query.page_size !== undefined ? clampInt(query.page_size, 1, PAGE_SIZE_MAX) : undefined,
    sort: query.sort,
    search: query.search?.trim(),
    filter: (query.filters ?? []).map(serializeFilter),
    exclude: (query.excludes ?? []).map(serializeFilter),
    columns: query.columns && query.columns.length ? query.columns.join(',') : undefined
  };
}

/** Turn a non-2xx answer into a LaminApiError, using the server's error body when there is one. */
export async function errorFromResponse(response: Response): Promise<LaminApiError> {
  let text = '';
  try {
    text = await response.text();
  } catch {
    // keep the status line only
  }
  try {
    const body = JSON.parse(text);
    if (body && typeof body === 'object' && body.error && typeof body.error === 'object') {
      return new LaminApiError(
        response.status,
        String(body.error.type ?? 'Error'),
        String(body.error.message ?? response.statusText)
      );
    }
    if (body && typeof body === 'object' && typeof body.message === 'string') {
      // jupyter_server's own JSON errors (e.g. 403 from the XSRF check)
      return new LaminApiError(response.status, 'HTTPError', body.message);
    }
  } catch {
    // not JSON: an HTML error page or a proxy message
  }
  const reason = response.statusText || `HTTP ${response.status}`;
  const message =
    response.status === 404 && !text.includes('"error"')
      ? `${reason}: is the lamin_kernel server extension enabled?`
      : reason;
  return new LaminApiError(response.status, 'HTTPError', message);
}

async function send(
  url: string,
  init: RequestInit,
  settings?: ServerConnection.ISettings
): Promise<Response> {
  let response: Response;
  try {
    response = await ServerConnection.makeRequest(url, init, serverSettings(settings));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new LaminApiError(0, 'NetworkError', message);
  }
  if (!response.ok) {
    throw await errorFromResponse(response);
  }
  return response;
}

/** GET a JSON route (or another method, with a JSON body). */
export async function requestJSON<T>(
  segments: Array<string | number>,
  params: QueryParams = {},
  settings?: ServerConnection.ISettings,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE' = 'GET',
  body?: unknown
): Promise<T> {
  const init: RequestInit =
    method === 'GET' || method === 'DELETE'
      ? { method }
      : {
          method,
          body: JSON.stringify(body ?? {}),
          headers: { 'Content-Type': 'application/json' }
        };
  const response = await send(apiUrl(segments, params, settings), init, settings);
  const text = await response.text();
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new LaminApiError(response.status, 'InvalidResponse', 'The server did not answer JSON.');
  }
}

/** GET instance */
export async function getInstance(settings?: ServerConnection.ISettings): Promise<IInstance> {
  return requestJSON<IInstance>(['instance'], {}, settings);
}

/** GET registries */
export async function listRegistries(
  settings?: ServerConnection.ISettings
): Promise<IRegistryList> {
  return requestJSON<IRegistryList>(['registries'], {}, settings);
}

/** GET registries/<name>/records */
export async function listRecords(
  registry: string,
  query: IRecordQuery = {},
  settings?: ServerConnection.ISettings
): Promise<IRecordPage> {
  return requestJSON<IRecordPage>(
    ['registries', registry, 'records'],
    recordQueryParams(query),
    settings
  );
}

/** GET registries/<name>/records/<uid> */
export async function getRecord(
  registry: string,
  uid: string,
  settings?: ServerConnection.ISettings
): Promise<IRecordDetail> {
  return requestJSON<IRecordDetail>(['registries', registry, 'records', uid], {}, settings);
}

export interface ILineageOptions {
  direction?: LineageDirection;
  depth?: number;
  /** Add each run's notebook cells (for expanding runs into cells). */
  cells?: boolean;
}

/** GET lineage/<registry>/<uid> */
export async function getLineage(
  registry: string,
  uid: string,
  options: ILineageOptions = {},
  settings?: ServerConnection.ISettings
): Promise<ILineageGraph> {
  return requestJSON<ILineageGraph>(
    ['lineage', registry, uid],
    {
      direction: options.direction,
      depth:
        options.depth !== undefined ? clampInt(options.depth, 1, LINEAGE_DEPTH_MAX) : undefined,
      cells: options.cells ? 'true' : undefined
    },
    settings
  );
}

/** GET artifacts/<uid>/preview: `rows` rows of a table from row `offset` (0-based). */
export async function getArtifactPreview(
  uid: string,
  rows?: number,
  settings?: ServerConnection.ISettings,
  offset?: number
): Promise<IArtifactPreview> {
  return requestJSON<IArtifactPreview>(
    ['artifacts', uid, 'preview'],
    {
      offset: offset ? clampInt(offset, 0, PREVIEW_OFFSET_MAX) : undefined,
      rows: rows !== undefined ? clampInt(rows, 1, PREVIEW_ROWS_MAX) : undefined
    },
    settings
  );
}

/** URL of GET artifacts/<uid>/file (for links and <img>, which carry the login cookie). */
export function artifactFileUrl(uid: string, settings?: ServerConnection.ISettings): string {
  return apiUrl(['artifacts', uid, 'file'], {}, settings);
}

/** GET artifacts/<uid>/file as bytes. */
export async function getArtifactFile(
  uid: string,
  settings?: ServerConnection.ISettings
): Promise<Blob> {
  const response = await send(artifactFileUrl(uid, settings), { method: 'GET' }, settings);
  return response.blob();
}

/** URL of GET runs/<uid>/report, for a sandboxed iframe. */
export function runReportUrl(uid: string, settings?: ServerConnection.ISettings): string {
  return apiUrl(['runs', uid, 'report'], {}, settings);
}

/** GET runs/<uid>/report as HTML text. */
export async function getRunReport(
  uid: string,
  settings?: ServerConnection.ISettings
): Promise<string> {
  const response = await send(runReportUrl(uid, settings), { method: 'GET' }, settings);
  return response.text();
}

/** GET validation-reports for one artifact or one run. */
export async function listValidationReports(
  target: ValidationTarget,
  settings?: ServerConnection.ISettings
): Promise<IValidationReportList> {
  const params: QueryParams =
    'artifact' in target ? { artifact: target.artifact } : { run: target.run };
  return requestJSON<IValidationReportList>(['validation-reports'], params, settings);
}

export type NotebookStateQuery = { kernel_id: string } | { path: string };

/** GET notebook-state by kernel id or notebook path. */
export async function getNotebookState(
  query: NotebookStateQuery,
  settings?: ServerConnection.ISettings
): Promise<INotebookState> {
  const params: QueryParams =
    'kernel_id' in query ? { kernel_id: query.kernel_id } : { path: query.path };
  return requestJSON<INotebookState>(['notebook-state'], params, settings);
}

/** GET changes: a token that differs after any write to the instance. */
export async function getChangeToken(settings?: ServerConnection.ISettings): Promise<IChangeToken> {
  return requestJSON<IChangeToken>(['changes'], {}, settings);
}

/** GET artifacts/<uid>/diff?against=<older uid> */
export async function getVersionDiff(
  uid: string,
  against: string,
  settings?: ServerConnection.ISettings
): Promise<IVersionDiff> {
  return requestJSON<IVersionDiff>(['artifacts', uid, 'diff'], { against }, settings);
}

/** GET artifacts/<uid>/downstream: the runs that used the artifact. */
export async function getDownstreamRuns(
  uid: string,
  settings?: ServerConnection.ISettings
): Promise<IRunList> {
  return requestJSON<IRunList>(['artifacts', uid, 'downstream'], {}, settings);
}

/** PATCH artifacts/<uid>: description, labels, trash. */
export async function editArtifact(
  uid: string,
  edit: IArtifactEdit,
  settings?: ServerConnection.ISettings
): Promise<{ uid: string; branch_id: number }> {
  return requestJSON(['artifacts', uid], {}, settings, 'PATCH', edit);
}

/** GET transforms/<uid>/runs */
export async function getTransformRuns(
  uid: string,
  settings?: ServerConnection.ISettings
): Promise<IRunList> {
  return requestJSON<IRunList>(['transforms', uid, 'runs'], {}, settings);
}

/** GET runs/<uid>/summary */
export async function getRunOverview(
  uid: string,
  settings?: ServerConnection.ISettings
): Promise<IRunOverview> {
  return requestJSON<IRunOverview>(['runs', uid, 'summary'], {}, settings);
}

/** GET runs/<uid>/environment-diff?other=<uid> */
export async function getEnvironmentDiff(
  uid: string,
  other: string,
  settings?: ServerConnection.ISettings
): Promise<IEnvironmentDiff> {
  return requestJSON<IEnvironmentDiff>(['runs', uid, 'environment-diff'], { other }, settings);
}

/** GET compare-runs?run=..&run=.. */
export async function compareRuns(
  uids: string[],
  settings?: ServerConnection.ISettings
): Promise<IRunComparison> {
  return requestJSON<IRunComparison>(['compare-runs'], { run: uids }, settings);
}

/** GET files/artifact?path=: the artifact holding a file of the server's root, if any. */
export async function getFileArtifact(
  path: string,
  settings?: ServerConnection.ISettings
): Promise<{ artifact: ILabeledRef | null }> {
  return requestJSON(['files', 'artifact'], { path }, settings);
}

/** POST files/artifact: register a file of the server's root as an artifact. */
export async function registerFile(
  path: string,
  settings?: ServerConnection.ISettings
): Promise<{ artifact: ILabeledRef }> {
  return requestJSON(['files', 'artifact'], {}, settings, 'POST', { path });
}

/** GET notebook-transform?path=: the transform tracked from a notebook, if any. */
export async function getNotebookTransform(
  path: string,
  settings?: ServerConnection.ISettings
): Promise<{ transform: ILabeledRef | null }> {
  return requestJSON(['notebook-transform'], { path }, settings);
}

/** POST instance: create (or connect to) an instance in a folder of the server's root. */
export async function createInstance(
  storage: string,
  settings?: ServerConnection.ISettings
): Promise<IInstance> {
  return requestJSON<IInstance>(['instance'], {}, settings, 'POST', { storage });
}

/** GET notebook-cells?path=[&run=]: what each cell of the notebook's latest (or a) run did. */
export async function getNotebookCells(
  path: string,
  run?: string | null,
  settings?: ServerConnection.ISettings
): Promise<INotebookCells> {
  return requestJSON<INotebookCells>(['notebook-cells'], { path, run }, settings);
}

/** GET artifacts/<uid>/cells: the cells that saved and loaded an artifact. */
export async function getArtifactCells(
  uid: string,
  settings?: ServerConnection.ISettings
): Promise<IArtifactCells> {
  return requestJSON<IArtifactCells>(['artifacts', uid, 'cells'], {}, settings);
}
