import { describe, expect, it } from 'vitest';

import {
  apiUrl,
  artifactFileUrl,
  buildQuery,
  encodeSegment,
  getArtifactPreview,
  getInstance,
  getLineage,
  getNotebookState,
  getRecord,
  getRunReport,
  LaminApiError,
  listRecords,
  listRegistries,
  listValidationReports,
  recordQueryParams,
  runReportUrl,
  serializeFilter
} from '../src/api';
import { fakeServer, jsonResponse, params } from './fakeServer';

const BASE = 'http://127.0.0.1:8888/user/a/lamin/api';

describe('URL building', () => {
  it('joins the base URL, the API prefix and encoded segments', () => {
    const { settings } = fakeServer();
    expect(apiUrl(['registries'], {}, settings)).toBe(`${BASE}/registries`);
    expect(apiUrl(['registries', 'Artifact', 'records', 'abc'], {}, settings)).toBe(
      `${BASE}/registries/Artifact/records/abc`
    );
  });

  it('percent-encodes slashes, spaces and dots-only segments', () => {
    expect(encodeSegment('a/b c')).toBe('a%2Fb%20c');
    expect(encodeSegment('..')).toBe('%2E%2E');
    expect(encodeSegment('v1.0')).toBe('v1.0');
    const { settings } = fakeServer();
    expect(apiUrl(['registries', '..', 'records'], {}, settings)).toBe(
      `${BASE}/registries/%2E%2E/records`
    );
  });

  it('refuses empty segments', () => {
    expect(() => encodeSegment('')).toThrow(LaminApiError);
  });

  it('builds run report and artifact file URLs', () => {
    const { settings } = fakeServer();
    expect(runReportUrl('RUNuid0123456789', settings)).toBe(`${BASE}/runs/RUNuid0123456789/report`);
    expect(artifactFileUrl('ART0000000000000000', settings)).toBe(
      `${BASE}/artifacts/ART0000000000000000/file`
    );
  });
});

describe('query encoding', () => {
  it('leaves out empty values and repeats arrays', () => {
    expect(buildQuery({ a: undefined, b: null, c: '', d: 0, e: ['x', 'y'] })).toBe('?d=0&e=x&e=y');
    expect(buildQuery({})).toBe('');
  });

  it('encodes reserved characters', () => {
    expect(buildQuery({ search: 'a&b=c d/é' })).toBe('?search=a%26b%3Dc+d%2F%C3%A9');
  });

  it('serialises filters as field:lookup:value', () => {
    expect(serializeFilter({ field: 'suffix', lookup: 'exact', value: '.parquet' })).toBe(
      'suffix:exact:.parquet'
    );
    expect(serializeFilter({ field: 'ulabels__name', lookup: 'in', value: ['A', ' B'] })).toBe(
      'ulabels__name:in:A,B'
    );
    expect(serializeFilter({ field: 'size', lookup: 'gt', value: 100 })).toBe('size:gt:100');
    expect(serializeFilter({ field: 'key', lookup: 'contains', value: 'a:b' })).toBe(
      'key:contains:a:b'
    );
  });

  it('refuses a filter field with a colon or empty', () => {
    expect(() => serializeFilter({ field: 'a:b', lookup: 'exact', value: 1 })).toThrow(
      /Invalid filter field/
    );
    expect(() => serializeFilter({ field: ' ', lookup: 'exact', value: 1 })).toThrow(LaminApiError);
  });

  it('clamps page and page_size into the accepted range', () => {
    expect(recordQueryParams({ page: 0, page_size: 500 })).toMatchObject({
      page: 1,
      page_size: 200
    });
    expect(recordQueryParams({ page_size: 0 })).toMatchObject({ page_size: 1 });
  });
});

describe('routes', () => {
  it('GET instance and registries', async () => {
    const { settings, requests } = fakeServer(req =>
      req.url.pathname.endsWith('/instance')
        ? jsonResponse({ name: 'lamin-data', db: 'sqlite' })
        : jsonResponse({ registries: [{ name: 'Artifact', module: 'core', count: 3, fields: [] }] })
    );
    expect((await getInstance(settings)).name).toBe('lamin-data');
    expect((await listRegistries(settings)).registries[0].count).toBe(3);
    expect(requests.map(r => [r.method, r.url.pathname])).toEqual([
      ['GET', '/user/a/lamin/api/instance'],
      ['GET', '/user/a/lamin/api/registries']
    ]);
  });

  it('GET registries/<name>/records with every parameter', async () => {
    const page = {
      registry: 'Artifact',
      page: 2,
      page_size: 25,
      total: 0,
      columns: [],
      records: []
    };
    const { settings, requests } = fakeServer(() => jsonResponse(page));
    const answer = await listRecords(
      'Artifact',
      {
        page: 2,
        page_size: 25,
        sort: '-created_at',
        search: '  immuno data ',
        filters: [
          { field: 'suffix', lookup: 'exact', value: '.parquet' },
          { field: 'ulabels__name', lookup: 'in', value: ['A', 'B'] }
        ],
        columns: ['uid', 'key', 'size']
      },
      settings
    );
    expect(answer).toEqual(page);
    const { url } = requests[0];
    expect(url.pathname).toBe('/user/a/lamin/api/registries/Artifact/records');
    expect(params(url)).toEqual([
      ['page', '2'],
      ['page_size', '25'],
      ['sort', '-created_at'],
      ['search', 'immuno data'],
      ['filter', 'suffix:exact:.parquet'],
      ['filter', 'ulabels__name:in:A,B'],
      ['columns', 'uid,key,size']
    ]);
  });

  it('GET registries/<name>/records with no parameters sends none', async () => {
    const { settings, requests } = fakeServer(() =>
      jsonResponse({ registry: 'ULabel', records: [] })
    );
    await listRecords('ULabel', {}, settings);
    expect(params(requests[0].url)).toEqual([]);
  });

  it('GET one record by registry and uid', async () => {
    const { settings, requests } = fakeServer(() =>
      jsonResponse({ registry: 'bionty.CellType', record: { uid: 'x' } })
    );
    await getRecord('CellType', 'abc DEF', settings);
    expect(requests[0].url.pathname).toBe(
      '/user/a/lamin/api/registries/CellType/records/abc%20DEF'
    );
  });

  it('GET lineage with direction and clamped depth', async () => {
    const { settings, requests } = fakeServer(() => jsonResponse({ nodes: [], edges: [] }));
    await getLineage('Artifact', 'u1', { direction: 'upstream', depth: 42 }, settings);
    await getLineage('Run', 'r1', {}, settings);
    expect(requests[0].url.pathname).toBe('/user/a/lamin/api/lineage/Artifact/u1');
    expect(params(requests[0].url)).toEqual([
      ['direction', 'upstream'],
      ['depth', '10']
    ]);
    expect(params(requests[1].url)).toEqual([]);
  });

  it('GET artifact preview with rows', async () => {
    const { settings, requests } = fakeServer(() => jsonResponse({ kind: 'text', text: 'hi' }));
    const preview = await getArtifactPreview('a1', 500, settings);
    expect(preview).toEqual({ kind: 'text', text: 'hi' });
    expect(params(requests[0].url)).toEqual([['rows', '200']]);
    await getArtifactPreview('a1', 20, settings, 40);
    expect(params(requests[1].url)).toEqual([
      ['offset', '40'],
      ['rows', '20']
    ]);
  });

  it('GET validation reports by artifact or by run', async () => {
    const { settings, requests } = fakeServer(() => jsonResponse({ reports: [] }));
    await listValidationReports({ artifact: 'A1' }, settings);
    await listValidationReports({ run: 'R1' }, settings);
    expect(params(requests[0].url)).toEqual([['artifact', 'A1']]);
    expect(params(requests[1].url)).toEqual([['run', 'R1']]);
    expect(requests[1].url.pathname).toBe('/user/a/lamin/api/validation-reports');
  });

  it('GET notebook-state by kernel id or by path', async () => {
    const { settings, requests } = fakeServer(() => jsonResponse({ tracked: false }));
    expect(await getNotebookState({ kernel_id: 'k-1' }, settings)).toEqual({ tracked: false });
    await getNotebookState({ path: 'sub dir/nb.ipynb' }, settings);
    expect(params(requests[0].url)).toEqual([['kernel_id', 'k-1']]);
    expect(params(requests[1].url)).toEqual([['path', 'sub dir/nb.ipynb']]);
  });

  it('GET the run report as text', async () => {
    const { settings } = fakeServer(
      () => new Response('<html>report</html>', { headers: { 'Content-Type': 'text/html' } })
    );
    expect(await getRunReport('r1', settings)).toBe('<html>report</html>');
  });

  it('sends the Jupyter token', async () => {
    const { settings, requests } = fakeServer(() => jsonResponse({}), { token: 'T0K' });
    await getInstance(settings);
    expect(requests[0].headers.get('Authorization')).toBe('token T0K');
  });
});

describe('error mapping', () => {
  async function failure(promise: Promise<unknown>): Promise<LaminApiError> {
    try {
      await promise;
    } catch (error) {
      expect(error).toBeInstanceOf(LaminApiError);
      return error as LaminApiError;
    }
    throw new Error('expected a failure');
  }

  it('maps the server error body to status, type and message', async () => {
    const { settings } = fakeServer(() =>
      jsonResponse({ error: { type: 'DoesNotExist', message: 'No Artifact with uid x' } }, 404)
    );
    const error = await failure(getRecord('Artifact', 'x', settings));
    expect(error.status).toBe(404);
    expect(error.type).toBe('DoesNotExist');
    expect(error.message).toBe('No Artifact with uid x');
    expect(error.isNotFound).toBe(true);
  });

  it('maps 400 and 409', async () => {
    for (const [status, type] of [
      [400, 'FieldValidationError'],
      [409, 'IntegrityError']
    ] as const) {
      const { settings } = fakeServer(() =>
        jsonResponse({ error: { type, message: 'bad' } }, status)
      );
      const error = await failure(listRecords('Artifact', { sort: 'nope' }, settings));
      expect([error.status, error.type]).toEqual([status, type]);
    }
  });

  it('maps a non-JSON error page to HTTPError', async () => {
    const { settings } = fakeServer(
      () => new Response('<html>oops</html>', { status: 500, statusText: 'Internal Server Error' })
    );
    const error = await failure(getInstance(settings));
    expect([error.status, error.type, error.message]).toEqual([
      500,
      'HTTPError',
      'Internal Server Error'
    ]);
  });

  it('explains a bare 404 (server extension missing)', async () => {
    const { settings } = fakeServer(
      () => new Response('<html>404</html>', { status: 404, statusText: 'Not Found' })
    );
    const error = await failure(getInstance(settings));
    expect(error.message).toMatch(/server extension/);
  });

  it("maps jupyter_server's own JSON errors", async () => {
    const { settings } = fakeServer(() =>
      jsonResponse({ message: "'_xsrf' argument missing" }, 403)
    );
    const error = await failure(getInstance(settings));
    expect([error.status, error.type, error.message]).toEqual([
      403,
      'HTTPError',
      "'_xsrf' argument missing"
    ]);
  });

  it('maps a failed connection to NetworkError with status 0', async () => {
    const { settings } = fakeServer(() => {
      throw new TypeError('fetch failed');
    });
    const error = await failure(getInstance(settings));
    expect([error.status, error.type]).toEqual([0, 'NetworkError']);
  });

  it('maps a 200 answer that is not JSON to InvalidResponse', async () => {
    const { settings } = fakeServer(() => new Response('not json'));
    const error = await failure(listRegistries(settings));
    expect(error.type).toBe('InvalidResponse');
  });

  it('rejects (does not throw) on a bad filter', async () => {
    const { settings, requests } = fakeServer();
    const promise = listRecords(
      'Artifact',
      { filters: [{ field: 'a:b', lookup: 'exact', value: 1 }] },
      settings
    );
    const error = await failure(promise);
    expect(error.type).toBe('InvalidArgument');
    expect(requests).toHaveLength(0);
  });
});
