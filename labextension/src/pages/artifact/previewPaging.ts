/** The table preview's pager: which page is shown, which moves are possible, what it reads. */

export interface IPreviewPager {
  /** 1-based. */
  page: number;
  /** null when the table's row count is unknown (a CSV is not counted). */
  pages: number | null;
  canPrevious: boolean;
  canNext: boolean;
  canLast: boolean;
  text: string;
}

function humane(n: number): string {
  return n.toLocaleString('en-US');
}

/**
 * The pager of a page of `shown` rows from row `offset` (0-based), `pageSize` a page, of a
 * table of `total` rows (null: unknown) with `more` rows after this page. `partial` says the
 * rows are only the first `total` of a bigger table (an AnnData's obs).
 */
export function previewPager(
  offset: number,
  pageSize: number,
  shown: number,
  total: number | null,
  more: boolean,
  partial = false
): IPreviewPager {
  const known = total ?? (more ? null : offset + shown);
  const pages = known === null ? null : Math.max(1, Math.ceil(known / pageSize));
  const page = Math.floor(offset / pageSize) + 1;
  let text: string;
  if (shown > 0) {
    const range = `rows ${humane(offset + 1)}–${humane(offset + shown)}`;
    if (known === null) {
      text = `${range} of an unknown number (not counted in this file)`;
    } else {
      text = `${range} of ${partial ? 'the first ' : ''}${humane(known)}`;
    }
  } else if (known === 0 || (total === null && offset === 0)) {
    text = 'No rows';
  } else {
    const from = `No rows from row ${humane(offset + 1)}`;
    text =
      total === null ? `${from}: the table ends before` : `${from}: the table has ${humane(total)}`;
  }
  return {
    page,
    pages,
    canPrevious: offset > 0,
    canNext: more,
    canLast: pages !== null && page !== pages,
    text
  };
}

/** The first row (0-based) of `page` (1-based), kept within the known pages. */
export function pageOffset(page: number, pageSize: number, pages: number | null): number {
  const last = pages ?? Number.MAX_SAFE_INTEGER;
  const bounded = Math.min(Math.max(1, Math.trunc(page)), last);
  return (bounded - 1) * pageSize;
}
