import { type LogLine, type LogPattern, maskMessage } from '../analysis/log-patterns';
import { EVIDENCE_LIMITS } from '../defaults';
import {
  boundedAttributes,
  boundedStack,
  type Count,
  describeCounts,
  flattenAttributes,
  peerOf,
  type Scalar,
  stackHead,
  stackInMessage,
  tagMap,
  topCounts,
  versionOf,
} from './attributes';

/** A log line as DataDog returns it: the clustered fields plus its structured attributes and tags. */
export type LogRecordLine = LogLine & { attributes: Record<string, unknown>; tags: string[] };

/**
 * A log pattern with the evidence that decides a case, bounded (EVIDENCE_LIMITS): the first
 * line's attributes (decisive keys first), its stack, and how the pattern's lines split by
 * version, host and peer. Only the first `detailedGroups` patterns carry it.
 */
export type LogPatternEvidence = LogPattern & {
  attributes?: Record<string, Scalar>;
  stack?: string;
  versions?: Count[];
  hostCounts?: Count[];
  peers?: Count[];
};

/** Pure: the patterns (from clusterLogs over `window`) with their lines' evidence attached. */
export function withLogEvidence(
  patterns: readonly LogPattern[],
  window: readonly LogRecordLine[],
): LogPatternEvidence[] {
  // clusterLogs keys a pattern by its masked message: the same key finds the pattern's lines.
  const linesOf = new Map<string, LogRecordLine[]>();
  for (const l of window) {
    const key = maskMessage(l.message);
    const lines = linesOf.get(key);
    if (lines) lines.push(l);
    else linesOf.set(key, [l]);
  }
  return patterns.map((p, i) => {
    const lines = i < EVIDENCE_LIMITS.detailedGroups ? linesOf.get(p.pattern) : undefined;
    if (!lines || lines.length === 0) return p;
    const facts = lines.map((l) => {
      const flat = flattenAttributes(l.attributes);
      const tags = tagMap(l.tags);
      return { flat, version: versionOf(flat, tags), peer: peerOf(flat, tags), host: l.host };
    });
    const first = facts[0]!.flat;
    const out: LogPatternEvidence = { ...p };
    const attributes = boundedAttributes(first);
    if (Object.keys(attributes).length > 0) out.attributes = attributes;
    const stack = boundedStack(
      facts.find((f) => f.flat['error.stack'] !== undefined)?.flat['error.stack'] ??
        stackInMessage(lines[0]!.message),
    );
    if (stack) out.stack = stack;
    const versions = topCounts(facts.map((f) => f.version));
    if (versions.length > 0) out.versions = versions;
    const hostCounts = topCounts(facts.map((f) => f.host));
    if (hostCounts.length > 0) out.hostCounts = hostCounts;
    const peers = topCounts(facts.map((f) => f.peer));
    if (peers.length > 0) out.peers = peers;
    return out;
  });
}

/** One line of a pattern's evidence for the summary: kind, version and host split, peer, stack head. */
export function describeLogEvidence(p: LogPatternEvidence): string {
  const a = p.attributes ?? {};
  const kind = a['error.kind'] ?? a['error.type'];
  const http = [a['http.method'], a['http.route'] ?? a['http.url'], a['http.status_code']]
    .filter((v) => v !== undefined)
    .join(' ');
  const parts = [
    kind !== undefined ? `kind ${kind}` : '',
    http ? `http ${http}` : '',
    p.versions ? `version ${describeCounts(p.versions)}` : '',
    p.hostCounts && p.hostCounts.length > 1 ? `hosts ${describeCounts(p.hostCounts)}` : '',
    p.peers ? `peer ${describeCounts(p.peers)}` : '',
    p.stack ? `stack ${stackHead(p.stack)}` : '',
  ].filter(Boolean);
  return parts.join(' · ').slice(0, EVIDENCE_LIMITS.summaryDetailChars);
}
