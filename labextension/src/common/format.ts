/** Values as people read them: sizes, times, durations; exact values go in tooltips. */
import { JSONValue } from '../models';

const SIZE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];

/** 1536 -> "1.5 KB" (powers of 1000, like file managers); null for no size. */
export function humanSize(bytes: JSONValue | undefined): string | null {
  if (typeof bytes !== 'number' || !Number.isFinite(bytes) || bytes < 0) {
    return null;
  }
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < SIZE_UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${SIZE_UNITS[unit]}`;
}

/** "1,234,567 bytes" for the tooltip of a size. */
export function exactSize(bytes: number): string {
  return `${bytes.toLocaleString('en-US')} bytes`;
}

function parseTime(value: JSONValue | undefined): Date | null {
  if (typeof value !== 'string' || !value) {
    return null;
  }
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? null : time;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/**
 * A time relative to `now`: "just now", "5 min ago", "3 h ago", "yesterday 14:02",
 * "12 Mar 14:02" this year, else "12 Mar 2024".
 */
export function humanTime(value: JSONValue | undefined, now: Date = new Date()): string | null {
  const time = parseTime(value);
  if (!time) {
    return null;
  }
  const seconds = (now.getTime() - time.getTime()) / 1000;
  if (seconds >= -60 && seconds < 45) {
    return 'just now';
  }
  if (seconds >= 0 && seconds < 3600) {
    return `${Math.round(seconds / 60)} min ago`;
  }
  const clock = `${pad(time.getHours())}:${pad(time.getMinutes())}`;
  if (seconds >= 0 && seconds < 6 * 3600) {
    return `${Math.round(seconds / 3600)} h ago`;
  }
  const day = new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime();
  const start = new Date(time.getFullYear(), time.getMonth(), time.getDate()).getTime();
  const days = Math.round((day - start) / 86_400_000);
  if (days === 0) {
    return `today ${clock}`;
  }
  if (days === 1) {
    return `yesterday ${clock}`;
  }
  const month = time.toLocaleString('en-US', { month: 'short' });
  if (time.getFullYear() === now.getFullYear()) {
    return `${time.getDate()} ${month} ${clock}`;
  }
  return `${time.getDate()} ${month} ${time.getFullYear()}`;
}

/** The full local time with seconds and the zone, for a tooltip. */
export function exactTime(value: JSONValue | undefined): string | null {
  const time = parseTime(value);
  if (!time) {
    return null;
  }
  const date = `${time.getFullYear()}-${pad(time.getMonth() + 1)}-${pad(time.getDate())}`;
  const clock = `${pad(time.getHours())}:${pad(time.getMinutes())}:${pad(time.getSeconds())}`;
  const offset = -time.getTimezoneOffset();
  const zone = `UTC${offset >= 0 ? '+' : '-'}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  return `${date} ${clock} ${zone} (${String(value)})`;
}

/** 0.42 -> "0.4 s", 75 -> "1 min 15 s", 7384 -> "2 h 3 min". */
export function humanDuration(seconds: number | null | undefined): string | null {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) {
    return null;
  }
  if (seconds < 10) {
    return `${seconds.toFixed(1)} s`;
  }
  if (seconds < 60) {
    return `${Math.round(seconds)} s`;
  }
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) {
    const rest = Math.round(seconds - minutes * 60);
    return rest ? `${minutes} min ${rest} s` : `${minutes} min`;
  }
  const hours = Math.floor(minutes / 60);
  const rest = minutes - hours * 60;
  return rest ? `${hours} h ${rest} min` : `${hours} h`;
}

/** Any JSON value as one line of text (objects compactly). */
export function plainText(value: JSONValue | undefined): string {
  if (value === null || value === undefined) {
    return '';
  }
  if (typeof value === 'string') {
    return value;
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  return JSON.stringify(value);
}

/** A cell of a registry table: what to show and the exact value for its tooltip. */
export interface ICellText {
  text: string;
  title: string;
}

const TIME_FIELDS = /(^|_)(at|time|date)$/;

/** Humanize a column's value by its name and type: sizes, times; everything else as is. */
export function cellText(column: string, value: JSONValue | undefined): ICellText {
  if (column === 'size' && typeof value === 'number') {
    return { text: humanSize(value) ?? '', title: exactSize(value) };
  }
  if (TIME_FIELDS.test(column) && typeof value === 'string') {
    const text = humanTime(value);
    if (text) {
      return { text, title: exactTime(value) ?? value };
    }
  }
  if (typeof value === 'boolean') {
    return { text: value ? 'yes' : 'no', title: String(value) };
  }
  const text = plainText(value);
  return { text, title: text };
}

/** "1–50 of 1,234", and "No records" instead of "0–-1 of 0". */
export function rangeText(page: number, pageSize: number, shown: number, total: number): string {
  if (total <= 0 || shown <= 0) {
    return total > 0 ? `0 of ${total.toLocaleString('en-US')}` : 'No records';
  }
  const first = (page - 1) * pageSize + 1;
  const last = first + shown - 1;
  return `${first.toLocaleString('en-US')}–${last.toLocaleString('en-US')} of ${total.toLocaleString('en-US')}`;
}
