/**
 * ServerConnection settings whose transport is a recording fake fetch: the
 * HTTP transport of api.ts, the unit under test.
 */
import { ServerConnection } from '@jupyterlab/services';

export interface IRecordedRequest {
  method: string;
  url: URL;
  headers: Headers;
}

export type Responder = (request: IRecordedRequest) => Response | Promise<Response>;

export function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' }
  });
}

export function fakeServer(
  responder: Responder = () => jsonResponse({}),
  options: Partial<ServerConnection.ISettings> = {}
): { settings: ServerConnection.ISettings; requests: IRecordedRequest[] } {
  const requests: IRecordedRequest[] = [];
  const fetch = async (input: RequestInfo | URL): Promise<Response> => {
    const request = input as Request;
    const recorded: IRecordedRequest = {
      method: request.method,
      url: new URL(request.url),
      headers: request.headers
    };
    requests.push(recorded);
    return responder(recorded);
  };
  const settings = ServerConnection.makeSettings({
    baseUrl: 'http://127.0.0.1:8888/user/a/',
    token: '',
    fetch,
    Request,
    Headers,
    ...options
  });
  return { settings, requests };
}

/** Query parameters without ServerConnection's numeric cache buster. */
export function params(url: URL): Array<[string, string]> {
  return [...url.searchParams.entries()].filter(([name]) => !/^\d+$/.test(name));
}
