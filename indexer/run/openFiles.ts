/**
 * A command line that runs `command` with its open-file limit raised to the hard limit (`ulimit -n`):
 * every SSE subscriber holds a socket, and the usual soft limit of 1024 caps a process at about a
 * thousand. `exec` keeps the process id: the shell becomes the command.
 */
export function withRaisedOpenFiles(command: string, args: string[]): [string, string[]] {
  return ['sh', ['-c', 'ulimit -n "$(ulimit -Hn)" && exec "$0" "$@"', command, ...args]];
}
