import type { Db } from '../../data/db';
import type { SourceDocument } from '../pipeline';

/**
 * A knowledge source fetches what changed since its cursor (or everything with `full`), and the
 * ids it still has so deletions can be applied. Each runs through its real client.
 */
export type FetchResult = {
  docs: SourceDocument[];
  presentIds?: Set<string>;
  /** For incremental syncs that re-read a window: ids the source no longer has in it. */
  deletedIds?: Set<string>;
  cursor?: string;
  /** Inputs read leniently or skipped (each naming its file or page): the rest was indexed. */
  warnings?: string[];
};

export interface KnowledgeSource {
  /** Store source name (documents.source) and cursor key. */
  readonly name: string;
  fetch(options: { db: Db; cursor?: string; full: boolean; signal?: AbortSignal }): Promise<FetchResult>;
}
