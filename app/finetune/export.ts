import { writeFileSync } from 'node:fs';
import { type ChatRecord, traceToChatRecord } from '../../agent/finetune/chat-record';
import { validateChatRecord } from '../../agent/finetune/validate';
import { judge } from '../../agent/learning/judge';
import { InvestigationResultSchema } from '../../agent/result';
import type { Db } from '../../data/db';
import { getSteps } from '../../data/investigations';
import { investigationsForLearning } from '../../data/learning';
import { redactDeep } from '../../lib/redact';
import type { ServiceCatalog, Tool } from '../../tools/contract';

export type ExportReport = { written: number; skipped: { id: string; reason: string }[]; out: string };

/**
 * Writes positively rated investigations (net rating > 0: helpful, confirmed, or the resolved
 * incident named the top suspect) as OpenAI chat fine-tuning JSONL: redacted after the record is
 * built, validated before it is written; a record that fails validation is skipped with a reason.
 */
export function exportFineTuning(
  db: Db,
  options: { out: string; secrets: readonly string[]; tools: readonly Tool[]; catalog: ServiceCatalog },
): ExportReport {
  const skipped: ExportReport['skipped'] = [];
  const lines: string[] = [];
  for (const row of investigationsForLearning(db, '')) {
    const parsed = InvestigationResultSchema.safeParse(row.result);
    if (!parsed.success) {
      skipped.push({ id: row.id, reason: 'stored result does not parse' });
      continue;
    }
    const j = judge({
      id: row.id,
      result: parsed.data,
      feedback: row.feedback,
      outcomes: row.outcomes.map((o) => ({ matchedRank: o.matchedRank, matchedRef: o.matchedRef, text: '' })),
    });
    if (j.rating <= 0) {
      skipped.push({ id: row.id, reason: j.rating === 0 ? 'not rated' : `rated negatively (${j.rating})` });
      continue;
    }
    const record: ChatRecord = redactDeep(
      traceToChatRecord({
        result: parsed.data,
        steps: getSteps(db, row.id),
        tools: options.tools,
        catalog: options.catalog,
      }),
      options.secrets,
    );
    const errors = validateChatRecord(record);
    if (errors.length > 0) {
      skipped.push({ id: row.id, reason: `invalid: ${errors.slice(0, 3).join('; ')}` });
      continue;
    }
    lines.push(JSON.stringify(record));
  }
  writeFileSync(options.out, lines.length ? `${lines.join('\n')}\n` : '', { mode: 0o600 });
  return { written: lines.length, skipped, out: options.out };
}
