/**
 * Reads a GitHub list that is sorted newest first, page by page, and stops as soon as an item is
 * older than the window (GitHub has no server-side "since" for pull requests or deployments), or
 * after `maxPages`. Breaking out of Octokit's page iterator means no further page is requested.
 */
export type NewestFirst<T> = {
  /** Items up to the first one past the window, in the order GitHub listed them. */
  items: T[];
  /** False when the page cap stopped the read while GitHub still had more in the window. */
  complete: boolean;
  pages: number;
};

export async function readNewestFirst<T>(
  pages: AsyncIterable<{ data: T[] }>,
  isPastWindow: (item: T) => boolean,
  maxPages: number,
): Promise<NewestFirst<T>> {
  const items: T[] = [];
  let count = 0;
  for await (const page of pages) {
    count++;
    for (const item of page.data) {
      if (isPastWindow(item)) return { items, complete: true, pages: count };
      items.push(item);
    }
    if (count >= maxPages) return { items, complete: page.data.length === 0, pages: count };
  }
  return { items, complete: true, pages: count };
}
