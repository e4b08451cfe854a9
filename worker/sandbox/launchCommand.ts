/**
 * How a sandbox is started: a tiny /bin/sh launcher that
 *   1. writes its own pid into the job's cgroup.procs files, so the job is inside its limits before
 *      it runs a single instruction (adding the pid after spawn would leave a window to fork out);
 *   2. when the worker runs as root, drops to an unprivileged uid (setpriv), so bwrap builds the
 *      sandbox from an ordinary user's namespaces and nothing in it is root on the host;
 *   3. execs bwrap with exactly the job's environment. bwrap's own process (PID 1 in the sandbox)
 *      keeps the environment it was started with, readable from /proc/1/environ: the launcher is
 *      spawned with the job's environment and nothing else (not the worker's, which holds its
 *      secrets), and unsets the PWD the shell adds.
 * Each step is an exec, so the pid (and the cgroup membership) carries through to bwrap.
 *
 * The environment travels as the process's environment, never on its command line: a command line
 * is readable by every user of the host (/proc/<pid>/cmdline), an environment only by its owner,
 * and a job's sealed secrets are among its variables.
 */

/** The launcher script: "$1" is how many cgroup.procs files follow, then the command. */
const LAUNCHER = 'n=$1; shift; while [ "$n" -gt 0 ]; do echo $$ > "$1" || exit 125; n=$((n-1)); shift; done; unset PWD OLDPWD; exec "$@"';

/** Exit status of the launcher when it could not join the cgroup. */
export const CGROUP_JOIN_FAILED = 125;

export type LaunchOptions = {
  cgroupProcs: string[];
  /** Drop to this uid/gid with setpriv before starting the sandbox (when the worker is root). */
  dropTo?: { uid: number; gid: number; setpriv: string };
  env: Record<string, string>;
  program: string;
  args: string[];
};

/** The file, argv and environment to spawn. */
export function buildLaunchCommand(o: LaunchOptions): { file: string; args: string[]; env: Record<string, string> } {
  const drop = o.dropTo
    ? [o.dropTo.setpriv, `--reuid=${o.dropTo.uid}`, `--regid=${o.dropTo.gid}`, '--clear-groups', '--no-new-privs']
    : [];
  return {
    file: '/bin/sh',
    args: ['-c', LAUNCHER, 'loom-launch', String(o.cgroupProcs.length), ...o.cgroupProcs, ...drop, o.program, ...o.args],
    env: { ...o.env },
  };
}
