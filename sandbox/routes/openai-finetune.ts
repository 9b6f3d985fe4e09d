import { json, type Route, type SandboxRequest, type SandboxResponse, type SandboxWorld } from '../http';

/**
 * OpenAI's fine-tuning upload path: POST /v1/files (multipart, purpose=fine-tune) and
 * POST /v1/fine_tuning/jobs, recorded so tests can read what was uploaded and started.
 */
export type FineTuneState = {
  files: { id: string; filename: string; purpose: string; content: string }[];
  jobs: { id: string; model: string; training_file: string }[];
};

export function fineTuneState(world: SandboxWorld): FineTuneState {
  let s = world.state.get('openai.finetune') as FineTuneState | undefined;
  if (!s) {
    s = { files: [], jobs: [] };
    world.state.set('openai.finetune', s);
  }
  return s;
}

const unauthorized = (req: SandboxRequest) =>
  String(req.headers.authorization ?? '').startsWith('Bearer ')
    ? undefined
    : json({ error: { message: 'Missing API key', type: 'invalid_request_error' } }, 401);

/** The parts of a multipart/form-data body: name -> { filename?, value }. */
function multipart(req: SandboxRequest): Map<string, { filename?: string; value: string }> {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(String(req.headers['content-type'] ?? ''));
  const parts = new Map<string, { filename?: string; value: string }>();
  if (!boundary) return parts;
  for (const part of req.rawBody.split(`--${boundary[1] ?? boundary[2]}`)) {
    const [head, ...rest] = part.split('\r\n\r\n');
    const name = /name="([^"]+)"/.exec(head ?? '')?.[1];
    if (!name) continue;
    parts.set(name, {
      filename: /filename="([^"]*)"/.exec(head ?? '')?.[1],
      value: rest.join('\r\n\r\n').replace(/\r\n$/, ''),
    });
  }
  return parts;
}

function uploadFile(req: SandboxRequest, world: SandboxWorld): SandboxResponse {
  const denied = unauthorized(req);
  if (denied) return denied;
  const parts = multipart(req);
  const file = parts.get('file');
  const purpose = parts.get('purpose')?.value;
  if (!file || !purpose)
    return json(
      { error: { message: "'file' and 'purpose' are required", type: 'invalid_request_error' } },
      400,
    );
  const s = fineTuneState(world);
  const id = `file-${s.files.length + 1}`;
  s.files.push({ id, filename: file.filename ?? 'upload', purpose, content: file.value });
  return json({
    id,
    object: 'file',
    bytes: Buffer.byteLength(file.value),
    created_at: Math.floor(Date.now() / 1000),
    filename: file.filename ?? 'upload',
    purpose,
    status: 'processed',
  });
}

function createJob(req: SandboxRequest, world: SandboxWorld): SandboxResponse {
  const denied = unauthorized(req);
  if (denied) return denied;
  const body = (req.body ?? {}) as { model?: string; training_file?: string };
  const s = fineTuneState(world);
  if (!body.model || !s.files.some((f) => f.id === body.training_file))
    return json(
      {
        error: {
          message: `invalid training_file: ${body.training_file}`,
          type: 'invalid_request_error',
          param: 'training_file',
        },
      },
      400,
    );
  const job = { id: `ftjob-${s.jobs.length + 1}`, model: body.model, training_file: body.training_file! };
  s.jobs.push(job);
  return json({
    ...job,
    object: 'fine_tuning.job',
    status: 'validating_files',
    created_at: Math.floor(Date.now() / 1000),
  });
}

export const routes: Route[] = [
  { method: 'POST', pattern: '/v1/files', handler: uploadFile },
  { method: 'POST', pattern: '/v1/fine_tuning/jobs', handler: createJob },
];
