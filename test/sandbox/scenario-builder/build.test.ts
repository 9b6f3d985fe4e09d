import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builders, SCENARIOS_ROOT } from '../../../sandbox/scenario-builder/build';
import { serializeFile } from '../../../sandbox/scenario-builder/lib';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)],
  );
}

describe('the scenario builder', () => {
  it.each(builders.map((b) => [b.build().id, b] as const))(
    '%s: the committed world is exactly what the builder generates',
    (id, builder) => {
      const { files } = builder.build();
      const dir = join(SCENARIOS_ROOT, id);
      const onDisk = filesUnder(dir)
        .map((f) => relative(dir, f))
        .sort();
      expect(onDisk).toEqual(Object.keys(files).sort());
      for (const [rel, content] of Object.entries(files))
        expect(readFileSync(join(dir, rel), 'utf8'), rel).toBe(serializeFile(content));
    },
  );
});
