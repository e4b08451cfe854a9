/**
 * Whether an image's CUDA requirement is met by this machine's driver, checked before a claim so a
 * job whose image cannot run here costs no transaction.
 *
 * The rules are those of NVIDIA's container toolkit (libnvidia-container's requirement language):
 * - every `NVIDIA_REQUIRE_*` variable (but `NVIDIA_REQUIRE_JETPACK`) is a requirement, and all must
 *   hold; an image with `CUDA_VERSION` and no `NVIDIA_REQUIRE_CUDA` (a "legacy" image) requires
 *   `cuda>=<its major.minor>`;
 * - in one requirement, space-separated groups are alternatives (any one may hold) and the
 *   comma-separated rules in a group must all hold: `cuda>=12.4 brand=tesla,driver>=470,driver<471`
 *   reads "CUDA 12.4, or a Tesla on a 470 driver" (the forward-compatibility alternatives NVIDIA's
 *   CUDA images list);
 * - rules are `cuda`, `driver`, `arch` and `brand` with =, !=, <, <=, >, >=; versions compare
 *   numerically part by part, trailing zeros ignored (12.4 = 12.4.0);
 * - `NVIDIA_DISABLE_REQUIRE` set to a true boolean (1, t, true, ...) turns every check off.
 *
 * Where this worker does not know a fact the toolkit reads from NVML, the rule does not hold:
 * `brand` and `arch` are never known here, so the brand alternatives never pass and an image only
 * runs where the driver itself supports the CUDA version it asks for (the forward-compatibility
 * alternatives need the image's compat libraries on a data-centre GPU, which this worker does not
 * set up). A `cuda` or `driver` rule against a driver whose version is unknown does not hold
 * either. The toolkit lets unknown driver facts pass; a worker that claims a job it then fails
 * loses its collateral, so it refuses.
 *
 * The env to pass is the job's: the image's Env with the spec's env on top (what the toolkit sees).
 * Call it for GPU jobs: a CPU job gets no driver, so its image's requirement does not apply.
 */

export type CudaRequirementResult = { ok: true } | { ok: false; reason: string };

/** What the running driver offers (hardware.ts reads it from nvidia-smi). */
export type DriverFacts = { driverVersion?: string };

const operators = ['<=', '>=', '!=', '=', '<', '>'] as const;
type Operator = (typeof operators)[number];

/**
 * Checks an image's NVIDIA_REQUIRE_* against the CUDA version the driver supports.
 *
 * @example
 * checkCudaRequirement(['NVIDIA_REQUIRE_CUDA=cuda>=12.4 brand=tesla,driver>=470,driver<471'], '12.2')
 * // { ok: false, reason: 'the image requires cuda>=12.4 brand=tesla,driver>=470,driver<471 (NVIDIA_REQUIRE_CUDA); this driver supports CUDA 12.2: unsatisfied: cuda >= 12.4' }
 */
export function checkCudaRequirement(imageEnv: string[], driverCuda: string | undefined, driver: DriverFacts = {}): CudaRequirementResult {
  const env = new Map<string, string>();
  for (const entry of imageEnv) {
    const eq = entry.indexOf('=');
    if (eq > 0) env.set(entry.slice(0, eq), entry.slice(eq + 1));
  }
  if (isTrue(env.get('NVIDIA_DISABLE_REQUIRE'))) return { ok: true };

  const requirements: { name: string; value: string }[] = [];
  for (const [name, value] of env) {
    if (name.startsWith('NVIDIA_REQUIRE_') && !name.startsWith('NVIDIA_REQUIRE_JETPACK')) requirements.push({ name, value });
  }
  const legacy = env.get('CUDA_VERSION');
  if (legacy !== undefined && legacy !== '' && !env.get('NVIDIA_REQUIRE_CUDA')) {
    const m = /^v?(\d+)\.(\d+)(?:\.\d+)?$/.exec(legacy.trim());
    if (!m) return { ok: false, reason: `the image's CUDA_VERSION ${JSON.stringify(legacy.slice(0, 64))} is not a version` };
    requirements.push({ name: 'CUDA_VERSION', value: `cuda>=${m[1]}.${m[2]}` });
  }

  const facts = { cuda: driverCuda, driver: driver.driverVersion };
  for (const { name, value } of requirements) {
    const r = evaluate(value, facts);
    if (r === 'invalid') return { ok: false, reason: `the image's ${name} is not a requirement this worker can read: ${JSON.stringify(value.slice(0, 200))}` };
    if (r !== true) {
      const supports = driverCuda === undefined ? 'the CUDA version this driver supports is unknown' : `this driver supports CUDA ${driverCuda}`;
      return { ok: false, reason: `the image requires ${value.trim()} (${name}); ${supports}: unsatisfied: ${r}` };
    }
  }
  return { ok: true };
}

/** true, the first rule that failed, or 'invalid'. */
function evaluate(requirement: string, facts: { cuda?: string; driver?: string }): true | string | 'invalid' {
  let failed: string | undefined;
  for (const group of requirement.split(' ')) {
    if (group === '') continue;
    let holds = true;
    for (const rule of group.split(',')) {
      if (rule === '') continue;
      const r = evaluateRule(rule, facts);
      if (r === undefined) return 'invalid';
      if (!r.holds) {
        holds = false;
        // The first alternative's failure is the one to report: it is the image's main requirement.
        failed ??= r.text;
        break;
      }
    }
    if (holds) return true;
  }
  return failed ?? true;
}

function evaluateRule(rule: string, facts: { cuda?: string; driver?: string }): { holds: boolean; text: string } | undefined {
  const m = /^([A-Za-z]+)([<>=!]+)(.+)$/.exec(rule);
  if (!m || !(operators as readonly string[]).includes(m[2]!)) return undefined;
  const [, rawName, op, value] = m as unknown as [string, string, Operator, string];
  const name = rawName.toLowerCase();
  const text = `${name} ${op} ${value}`;
  switch (name) {
    case 'cuda':
    case 'driver': {
      if (!/^[0-9.]+$/.test(value)) return undefined;
      const have = name === 'cuda' ? facts.cuda : facts.driver;
      if (have === undefined || !/^[0-9.]+$/.test(have)) return { holds: false, text };
      return { holds: compare(compareVersions(have, value), op), text };
    }
    case 'arch':
    case 'brand':
      // Not known to this worker (see above): the rule does not hold.
      return { holds: false, text };
    default:
      return undefined;
  }
}

function compare(c: number, op: Operator): boolean {
  switch (op) {
    case '=':
      return c === 0;
    case '!=':
      return c !== 0;
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    case '>=':
      return c >= 0;
  }
}

/** Dotted versions compared part by part as numbers; missing parts are 0 (12.4 = 12.4.0). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').filter((s) => s !== '').map(Number);
  const pb = b.split('.').filter((s) => s !== '').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/** Go's strconv.ParseBool true values, as the toolkit reads NVIDIA_DISABLE_REQUIRE. */
function isTrue(v: string | undefined): boolean {
  return v !== undefined && ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v);
}
