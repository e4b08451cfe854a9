/**
 * PLACEHOLDER (issue 12, helper "sandboximg"): the real check replaces this file at merge.
 */
export function checkCudaRequirement(_imageEnv: string[], _driverCuda: string | undefined): { ok: true } | { ok: false; reason: string } {
  throw new Error('not implemented');
}
