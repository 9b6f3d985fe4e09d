import { countTokens } from 'gpt-tokenizer';

/** Counts tokens the way OpenAI models do (o200k base encoding). */
export function tokenCount(text: string): number {
  return countTokens(text);
}
