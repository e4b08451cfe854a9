/**
 * How a sandbox is started: a tiny /bin/sh launcher that
 *   1. writes its own pid into the job's cgroup.procs files, so the job is inside its limits before
 *      it runs a single instruction (adding the pid after spawn would leave a window to fork out);
 *   2. when the worker runs as root, drops to an unprivileged uid (setpriv), so bwrap builds the
 *      sandbox from an ordinary user's namespaces and nothing in it is root on the host;
 *   3. execs bwrap under `env -i` with exactly the job's environment. bwrap's own process (PID 1
 *      in the sandbox) keeps the environment it was started with, readable from /proc/1/environ:
 *      starting it from an empty environment is what keeps the worker's secrets out.
 * Each step is an exec, so the pid (and the cgroup membership) carries through to bwrap.
 */

/** The launcher script: "$1" is how many cgroup.procs files follow, then the command. */
const LAUNCHER = 'n=$1; shift; while [ "$n" -gt 0 ]; do echo $$ > "$1" || exit 125; n=$((n-1)); shift; done; exec "$@"';

/** Exit status of the launcher when it could not join the cgroup. */
export const CGROUP_JOIN_FAILED = 125;

export type LaunchOptions = {
  cgroupProcs: string[];
  /** Drop to this uid/gid with setpriv before starting the sandbox (when the worker is root). */
  dropTo?: { uid: number; gid: number; setpriv: string };
  envPath: string;
  env: Record<string, string>;
  program: string;
  args: string[];
};

/** The file and argv to spawn (with an empty environment of its own). */
export function buildLaunchCommand(o: LaunchOptions): { file: string; args: string[] } {
  const drop = o.dropTo
    ? [o.dropTo.setpriv, `--reuid=${o.dropTo.uid}`, `--regid=${o.dropTo.gid}`, '--clear-groups', '--no-new-privs']
    : [];
  const env = Object.entries(o.env).map(([k, v]) => `${k}=${v}`);
  return {
    file: '/bin/sh',
    args: ['-c', LAUNCHER, 'loom-launch', String(o.cgroupProcs.length), ...o.cgroupProcs, ...drop, o.envPath, '-i', '--', ...env, o.program, ...o.args],
  };
}
