import { describe, expect, test } from 'vitest';
import { type JobModel, resolveJob } from './jobModels';

const bytes = (spec: unknown) => new TextEncoder().encode(JSON.stringify(spec));
const hostSpec = { version: 1, command: ['python', '/models/llama/config.json'], resources: { timeoutSeconds: 600 } };
const digest = `sha256:${'ab'.repeat(32)}`;
const other = `sha256:${'cd'.repeat(32)}`;
const h = (c: string) => `0x${c.repeat(64)}`;
const limits = { maxModelBytes: 1000 };

const weights = (over: Partial<JobModel> = {}): JobModel => ({
  id: '1',
  name: 'llama',
  kind: 'WEIGHTS',
  files: [
    { sha256: h('a'), size: '100', path: 'config.json' },
    { sha256: h('b'), size: '200', path: 'shards/model-0001.safetensors' },
  ],
  image: null,
  ...over,
});
const imageModel = (ref: string, id = '2'): JobModel => ({ id, name: 'trainer', kind: 'IMAGE', files: [], image: ref });
const reason = (r: ReturnType<typeof resolveJob>) => (r.ok ? 'ok' : `${r.stage}: ${r.reason}`);

describe('resolveJob', () => {
  test('default: a job without models is its spec; weights and datasets are mounted at /models/<name>/<path>', () => {
    expect(resolveJob(bytes(hostSpec), [], limits)).toMatchObject({ ok: true, models: [], spec: { workdir: '/in' } });
    const r = resolveJob(bytes(hostSpec), [weights(), { id: '3', name: 'wiki', kind: 'DATASET', files: [{ sha256: h('A'), size: 7, path: 'train.jsonl' }] }], limits);
    expect(r.ok && r.models).toEqual([
      { model: '1 "llama"', sha256: 'a'.repeat(64), size: 100, mountPath: '/models/llama/config.json' },
      { model: '1 "llama"', sha256: 'b'.repeat(64), size: 200, mountPath: '/models/llama/shards/model-0001.safetensors' },
      { model: '3 "wiki"', sha256: 'a'.repeat(64), size: 7, mountPath: '/models/wiki/train.jsonl' },
    ]);
  });

  test("behavior: an IMAGE model is the image of a spec that names none, read as if it named it (the image's workdir and command apply)", () => {
    const r = resolveJob(bytes({ version: 1, resources: { timeoutSeconds: 600 }, command: ['train'] }), [imageModel(`ghcr.io/org/trainer:v1@${digest}`), weights()], limits);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.spec.image).toMatchObject({ registry: 'ghcr.io', repository: 'org/trainer', digest });
    // Host mode's default working directory (/in) is not imposed on the image.
    expect(r.spec.workdir).toBeUndefined();
    expect(r.models).toHaveLength(2);
    // The same image in the spec (another tag is only a label) is fine; two models agreeing too.
    expect(resolveJob(bytes({ ...hostSpec, image: `ghcr.io/org/trainer:v2@${digest}` }), [imageModel(`ghcr.io/org/trainer@${digest}`), imageModel(`ghcr.io/org/trainer:v1@${digest}`, '4')], limits).ok).toBe(true);
  });

  test('error: a spec naming another image, or two IMAGE models that differ, are refused', () => {
    expect(reason(resolveJob(bytes({ ...hostSpec, image: `ghcr.io/org/other@${digest}` }), [imageModel(`ghcr.io/org/trainer@${digest}`)], limits))).toBe(
      `models: model 2 "trainer" is the image ghcr.io/org/trainer@${digest}, and the spec names ghcr.io/org/other@${digest}: a job runs in one image`,
    );
    expect(reason(resolveJob(bytes(hostSpec), [imageModel(`ghcr.io/org/trainer@${digest}`), imageModel(`ghcr.io/org/trainer@${other}`, '5')], limits))).toBe(
      `models: model 5 "trainer" is the image ghcr.io/org/trainer@${other}, and model 2 "trainer" names ghcr.io/org/trainer@${digest}: a job runs in one image`,
    );
    expect(reason(resolveJob(bytes(hostSpec), [imageModel('ghcr.io/org/trainer:latest')], limits))).toMatch(/^models: model 2 "trainer": its image cannot be run: /);
  });

  test('error: names and paths that would mount outside /models/<name>, or over each other or an input, are refused', () => {
    const cases: [JobModel[], string][] = [
      [[weights({ name: '..' })], 'model 1 "..": its name ".." is not a directory name, so it cannot be mounted at /models/<name>'],
      [[weights({ name: 'a/b' })], 'model 1 "a/b": its name "a/b" has a "/" or a NUL, so it cannot be mounted at /models/<name>'],
      [[weights({ files: [{ sha256: h('a'), size: 1, path: '../../etc/passwd' }] })], 'model 1 "llama": file "../../etc/passwd" must stay inside the model\'s directory: no "." or ".." parts, no empty ones'],
      [[weights({ files: [{ sha256: h('a'), size: 1, path: '/etc/passwd' }] })], 'model 1 "llama": file "/etc/passwd" must be relative to the model\'s directory (no leading "/")'],
      [[weights({ files: [{ sha256: 'nope', size: 1, path: 'x' }] })], 'model 1 "llama": file "x": "nope" is not a sha256'],
      [[weights({ files: [] })], 'model 1 "llama": a weights model without files'],
      [[weights(), weights({ id: '9' })], 'model 9 "llama": another model of the job has the same name, and both would be mounted at /models/llama'],
      [
        [weights({ files: [{ sha256: h('a'), size: 1, path: 'x' }, { sha256: h('b'), size: 1, path: 'x/y' }] })],
        'model 1 "llama": file "x/y" would be mounted at /models/llama/x/y, over model 1 "llama"\'s file "x" at /models/llama/x',
      ],
    ];
    for (const [models, why] of cases) expect(reason(resolveJob(bytes(hostSpec), models, limits))).toBe(`models: ${why}`);
    const withInput = { ...hostSpec, inputs: [{ uri: `artifact://${'c'.repeat(64)}`, sha256: 'c'.repeat(64), mountPath: '/models/llama/config.json' }] };
    expect(reason(resolveJob(bytes(withInput), [weights()], limits))).toBe(
      `models: model 1 "llama": file "config.json" would be mounted at /models/llama/config.json, over input "${'c'.repeat(64)}" at /models/llama/config.json`,
    );
  });

  test("error: models over the worker's size limit, and an invalid spec, each with their stage", () => {
    expect(reason(resolveJob(bytes(hostSpec), [weights()], { maxModelBytes: 299 }))).toBe("models: the job's models are 300 bytes, over this worker's limit of 299 bytes (--max-model-gib)");
    expect(reason(resolveJob(bytes({ version: 1 }), [weights()], limits))).toMatch(/^spec: /);
  });
});
