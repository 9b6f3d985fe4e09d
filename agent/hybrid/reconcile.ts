import { sameRef } from '../refs';
import type { Refinement, Summary, Suspect } from '../result';

export type Reconciled = { summary: Summary; refinement: Omit<Refinement, 'firstAnswerMs'> };

const label = (s: Suspect) =>
  `${s.kind.replace('_', ' ')} ${/^[0-9a-f]{40}$/i.test(s.ref) ? s.ref.slice(0, 10) : s.ref}`;

/** The first answer names a cause (an abstaining answer is no claim to contradict). */
const answers = (s: Summary) => s.suspects.length > 0 && s.confidence !== 'none';

/** `base`'s suspects, then those of `extra` it does not name yet, in their order. */
function mergeSuspects(base: readonly Suspect[], extra: readonly Suspect[]): Suspect[] {
  return [...base, ...extra.filter((x) => !base.some((b) => sameRef(b.ref, x.ref)))];
}

/**
 * Pure: what the model's summary does to the evidence model's first answer. Only evidence ids
 * that exist count as citations (a model can invent ids). The model's top suspect decides:
 * the same as the first answer's confirms it (the model's explanation and any suspects it adds
 * with evidence join); another one, citing evidence, overturns it (the first answer's suspects
 * follow the model's); a cause where the first answer had none, citing evidence, is added; a
 * contradiction without evidence is refused and the first answer stands.
 */
export function reconcile(input: {
  offline: Summary;
  model: Summary;
  evidenceIds: ReadonlySet<string>;
  modelName: string;
}): Reconciled {
  const { offline, modelName } = input;
  const cited = input.model.suspects.map((s) => ({
    ...s,
    evidence: s.evidence.filter((id) => input.evidenceIds.has(id)),
  }));
  const model = { ...input.model, suspects: cited };
  const top = cited[0];
  const first = offline.suspects[0];
  const result = (outcome: Refinement['outcome'], summary: Summary, note: string): Reconciled => ({
    summary,
    refinement: { model: modelName, outcome, note, offline },
  });
  const modelAnswer = (): Summary => ({
    ...model,
    suspects: mergeSuspects(cited, offline.suspects),
    similarIncidents: model.similarIncidents.length ? model.similarIncidents : offline.similarIncidents,
    runbooks: model.runbooks.length ? model.runbooks : offline.runbooks,
  });
  if (!top) {
    if (!answers(offline))
      return result('confirmed', offline, `Confirmed by ${modelName}: nothing conclusive`);
    return result(
      'refused',
      offline,
      `${modelName} found nothing conclusive but cited no evidence against the first answer; the offline answer stands`,
    );
  }
  const evidence = top.evidence.join(', ');
  if (answers(offline) && first && sameRef(top.ref, first.ref)) {
    const added = cited.filter(
      (s) => s.evidence.length > 0 && !offline.suspects.some((o) => sameRef(o.ref, s.ref)),
    );
    return result(
      'confirmed',
      {
        ...offline,
        rootCause: model.rootCause.trim() || offline.rootCause,
        suspects: mergeSuspects(offline.suspects, added),
        hypotheses: model.hypotheses ?? offline.hypotheses,
      },
      `Confirmed by ${modelName}${added.length ? `; added: ${added.map(label).join(', ')}` : ''}`,
    );
  }
  if (top.evidence.length === 0)
    return result(
      'refused',
      offline,
      `${modelName} named ${label(top)} without citing evidence; the offline answer stands`,
    );
  if (answers(offline) && first)
    return result(
      'overturned',
      modelAnswer(),
      `Overturned by ${modelName}: ${label(top)} (evidence ${evidence}) rather than ${label(first)}`,
    );
  return result('added', modelAnswer(), `Added by ${modelName}: ${label(top)} (evidence ${evidence})`);
}

/** The refinement of a model that did not finish: the first answer stands, and says why. */
export function modelDidNotFinish(offline: Summary, modelName: string, why: string): Reconciled {
  return {
    summary: offline,
    refinement: {
      model: modelName,
      outcome: 'failed',
      note: `The model could not finish (${why}); the offline answer stands`,
      offline,
    },
  };
}
