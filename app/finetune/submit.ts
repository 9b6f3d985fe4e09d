import { createReadStream } from 'node:fs';
import type OpenAI from 'openai';

/** Uploads a JSONL file for fine-tuning and starts a job on it (OpenAI's files + fine_tuning.jobs). */
export async function submitFineTuning(
  client: OpenAI,
  file: string,
  model: string,
): Promise<{ fileId: string; jobId: string; status: string }> {
  const uploaded = await client.files.create({ file: createReadStream(file), purpose: 'fine-tune' });
  const job = await client.fineTuning.jobs.create({ training_file: uploaded.id, model });
  return { fileId: uploaded.id, jobId: job.id, status: job.status };
}
