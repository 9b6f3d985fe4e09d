import { describe, expect, it } from 'vitest';
import { readNewestFirst } from '../../../tools/github/newest-first';

/** Pages of numbers, counting how many pages were really fetched. */
function pagesOf(pages: number[][]) {
  const fetched = { count: 0 };
  async function* iterate() {
    for (const data of pages) {
      fetched.count++;
      yield { data };
    }
  }
  return { pages: iterate(), fetched };
}

describe('readNewestFirst', () => {
  it('stops at the first item past the window and fetches no further page', async () => {
    const { pages, fetched } = pagesOf([
      [9, 8, 7],
      [6, 2, 1],
      [0, -1, -2],
    ]);
    const read = await readNewestFirst(pages, (n) => n < 5, 10);
    expect(read).toEqual({ items: [9, 8, 7, 6], complete: true, pages: 2 });
    expect(fetched.count).toBe(2);
  });

  it('stops at the page cap and says the read is incomplete', async () => {
    const { pages, fetched } = pagesOf([[3], [2], [1]]);
    expect(await readNewestFirst(pages, () => false, 2)).toEqual({
      items: [3, 2],
      complete: false,
      pages: 2,
    });
    expect(fetched.count).toBe(2);
  });

  it('reads a short list to its end', async () => {
    const { pages } = pagesOf([[3, 2]]);
    expect(await readNewestFirst(pages, () => false, 5)).toEqual({ items: [3, 2], complete: true, pages: 1 });
  });
});
