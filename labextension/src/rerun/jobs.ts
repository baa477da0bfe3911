/**
 * Rerun jobs on the server (`server/rerun_jobs.py`): POST reruns starts `lamin rerun` for a run
 * (optionally `--check`) or `lamin rerun --stale KEY|UID`; the job is polled with GET
 * reruns/<id> until it ends and cancelled with DELETE reruns/<id>.
 */
import { useCallback, useEffect, useRef, useState } from 'react';

import { requestJSON } from '../api';
import { IEnvironmentChanges } from './environment';

export interface IOutputCheck {
  label: string;
  status: 'reproduced' | 'differs' | 'missing' | 'new';
  original: string | null;
  rerun: string | null;
  details: string;
}

/** The result of one rerun (a run's rerun or check, or one step of a stale rerun). */
export interface IRerunResult {
  original: string;
  checked: boolean;
  rerun: string | null;
  reproduced: boolean;
  seconds: number;
  environment: IEnvironmentChanges;
  checks: IOutputCheck[];
}

export interface IRerunStep {
  run: string;
  transform: string;
  state: 'pending' | 'running' | 'done' | 'failed' | 'cancelled';
  rerun: string | null;
  error: string | null;
}

export interface IRerunJob {
  id: string;
  kind: 'run' | 'stale';
  target: string;
  check: boolean;
  state: 'running' | 'done' | 'failed' | 'cancelled';
  steps: IRerunStep[];
  /** A run's packages that differ from its stored environment, known before it runs. */
  environment: IEnvironmentChanges | null;
  result: (IRerunResult & { reruns?: undefined }) | { reruns: IRerunResult[] } | null;
  error: string | null;
  seconds: number;
}

export type RerunRequest = { run: string; check: boolean } | { stale: string };

export const POLL_MS = 1000;

export function startRerun(request: RerunRequest): Promise<IRerunJob> {
  return requestJSON<IRerunJob>(['reruns'], {}, undefined, 'POST', request);
}

export function getRerunJob(id: string): Promise<IRerunJob> {
  return requestJSON<IRerunJob>(['reruns', id]);
}

export function cancelRerunJob(id: string): Promise<IRerunJob> {
  return requestJSON<IRerunJob>(['reruns', id], {}, undefined, 'DELETE');
}

export function latestRerunJob(): Promise<{ job: IRerunJob | null }> {
  return requestJSON<{ job: IRerunJob | null }>(['reruns']);
}

function sameTarget(job: IRerunJob, request: RerunRequest): boolean {
  return 'stale' in request
    ? job.kind === 'stale' && job.target === request.stale
    : job.kind === 'run' && job.target === request.run;
}

export interface IRerunJobState {
  job: IRerunJob | null;
  error: string | null;
  start: (request: RerunRequest) => void;
  cancel: () => void;
}

/**
 * A rerun job of this view: `start` posts it, it is polled every second while it runs, and a
 * running job of the same target (started before the page was reopened) is picked up.
 */
export function useRerunJob(adopt: RerunRequest | null): IRerunJobState {
  const [job, setJob] = useState<IRerunJob | null>(null);
  const [error, setError] = useState<string | null>(null);
  const alive = useRef(true);
  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);
  const adoptKey = adopt ? JSON.stringify(adopt) : null;
  useEffect(() => {
    if (!adopt) {
      return;
    }
    latestRerunJob()
      .then(({ job: latest }) => {
        if (alive.current && latest && latest.state === 'running' && sameTarget(latest, adopt)) {
          setJob(latest);
        }
      })
      .catch(() => undefined);
  }, [adoptKey]);
  const running = job?.state === 'running' ? job.id : null;
  useEffect(() => {
    if (!running) {
      return;
    }
    const timer = window.setInterval(() => {
      getRerunJob(running)
        .then(next => alive.current && setJob(next))
        .catch(reason => alive.current && setError(String(reason?.message ?? reason)));
    }, POLL_MS);
    return () => window.clearInterval(timer);
  }, [running]);
  const start = useCallback((request: RerunRequest) => {
    setError(null);
    startRerun(request)
      .then(next => alive.current && setJob(next))
      .catch(reason => alive.current && setError(String(reason?.message ?? reason)));
  }, []);
  const cancel = useCallback(() => {
    if (job) {
      cancelRerunJob(job.id)
        .then(next => alive.current && setJob(next))
        .catch(reason => alive.current && setError(String(reason?.message ?? reason)));
    }
  }, [job?.id]);
  return { job, error, start, cancel };
}
