/**
 * The seccomp filter every job runs under (bwrap `--seccomp FD`, installed right before the job's
 * program is executed, after no-new-privs): classic BPF that answers EPERM to the system calls
 * listed in {@link DENIED_SYSCALLS}, and kills a process that calls the kernel through another
 * architecture's ABI (32-bit x86 or x32 on an x86-64 host), where those numbers would mean other
 * calls.
 *
 * Why these: each exposes a large part of the kernel to an unprivileged process and has no use in a
 * compute job: kernel keyrings, eBPF, userfaultfd, perf events and io_uring are where most recent
 * local privilege escalations started; the rest (modules, kexec, mounts, namespaces, swap, clocks,
 * reboot, raw I/O ports) already fail without capabilities, and are refused here before the
 * kernel's permission checks are reached at all. The list follows Docker's default profile, which
 * GPU workloads run under every day; ptrace (debuggers, py-spy) stays allowed, as it does there.
 */

/** The denied calls and their numbers on x86-64 and arm64 (asm-generic). */
export const DENIED_SYSCALLS: Record<string, { x64: number; arm64: number | null }> = {
  keyctl: { x64: 250, arm64: 219 },
  add_key: { x64: 248, arm64: 217 },
  request_key: { x64: 249, arm64: 218 },
  bpf: { x64: 321, arm64: 280 },
  userfaultfd: { x64: 323, arm64: 282 },
  perf_event_open: { x64: 298, arm64: 241 },
  io_uring_setup: { x64: 425, arm64: 425 },
  io_uring_enter: { x64: 426, arm64: 426 },
  io_uring_register: { x64: 427, arm64: 427 },
  lookup_dcookie: { x64: 212, arm64: 18 },
  name_to_handle_at: { x64: 303, arm64: 264 },
  open_by_handle_at: { x64: 304, arm64: 265 },
  init_module: { x64: 175, arm64: 105 },
  finit_module: { x64: 313, arm64: 273 },
  delete_module: { x64: 176, arm64: 106 },
  kexec_load: { x64: 246, arm64: 104 },
  kexec_file_load: { x64: 320, arm64: 294 },
  mount: { x64: 165, arm64: 40 },
  umount2: { x64: 166, arm64: 39 },
  pivot_root: { x64: 155, arm64: 41 },
  open_tree: { x64: 428, arm64: 428 },
  move_mount: { x64: 429, arm64: 429 },
  fsopen: { x64: 430, arm64: 430 },
  fsconfig: { x64: 431, arm64: 431 },
  fsmount: { x64: 432, arm64: 432 },
  fspick: { x64: 433, arm64: 433 },
  mount_setattr: { x64: 442, arm64: 442 },
  unshare: { x64: 272, arm64: 97 },
  setns: { x64: 308, arm64: 268 },
  swapon: { x64: 167, arm64: 224 },
  swapoff: { x64: 168, arm64: 225 },
  reboot: { x64: 169, arm64: 142 },
  acct: { x64: 163, arm64: 89 },
  quotactl: { x64: 179, arm64: 60 },
  syslog: { x64: 103, arm64: 116 },
  vhangup: { x64: 153, arm64: 58 },
  settimeofday: { x64: 164, arm64: 170 },
  clock_settime: { x64: 227, arm64: 112 },
  clock_adjtime: { x64: 305, arm64: 266 },
  adjtimex: { x64: 159, arm64: 171 },
  iopl: { x64: 172, arm64: null },
  ioperm: { x64: 173, arm64: null },
};

// <linux/audit.h>, <linux/seccomp.h>, <linux/filter.h>
const AUDIT_ARCH = { x64: 0xc000003e, arm64: 0xc00000b7 } as const;
const X32_SYSCALL_BIT = 0x40000000;
const SECCOMP_RET_KILL_PROCESS = 0x80000000;
const SECCOMP_RET_ERRNO = 0x00050000;
const SECCOMP_RET_ALLOW = 0x7fff0000;
const EPERM = 1;
const BPF_LD_W_ABS = 0x20;
const BPF_JEQ_K = 0x15;
const BPF_JGE_K = 0x35;
const BPF_RET_K = 0x06;
/** Offsets in struct seccomp_data. */
const NR = 0;
const ARCH = 4;

type Insn = [code: number, jt: number, jf: number, k: number];

/**
 * The filter for `arch` (Node's `process.arch`) as bwrap reads it: an array of struct sock_filter
 * in the host's byte order; null for an architecture without a table here.
 */
export function seccompProgram(arch: string = process.arch): Buffer | null {
  if (arch !== 'x64' && arch !== 'arm64') return null;
  const numbers = [...new Set(Object.values(DENIED_SYSCALLS).flatMap((n) => (n[arch] === null ? [] : [n[arch]!])))].sort((a, b) => a - b);
  // Layout: the arch check, then one comparison per denied call, each jumping to the EPERM return
  // at the very end; falling through all of them reaches ALLOW, just before it.
  const head: Insn[] = [
    [BPF_LD_W_ABS, 0, 0, ARCH],
    [BPF_JEQ_K, 1, 0, AUDIT_ARCH[arch]],
    [BPF_RET_K, 0, 0, SECCOMP_RET_KILL_PROCESS],
    [BPF_LD_W_ABS, 0, 0, NR],
  ];
  const checks: Insn[] = [];
  // x32 calls carry this bit on an x86-64 arch value: every such number is another ABI.
  if (arch === 'x64') checks.push([BPF_JGE_K, 0, 0, X32_SYSCALL_BIT]);
  for (const nr of numbers) checks.push([BPF_JEQ_K, 0, 0, nr]);
  // From check i, the EPERM return is (checks.length - i) instructions ahead (ALLOW sits between).
  checks.forEach((insn, i) => (insn[1] = checks.length - i));
  const x32Kill: Insn[] = [];
  if (arch === 'x64') {
    // The x32 check kills rather than refuses: send it to its own KILL return.
    checks[0]![1] = checks.length + 1;
    x32Kill.push([BPF_RET_K, 0, 0, SECCOMP_RET_KILL_PROCESS]);
  }
  const program: Insn[] = [...head, ...checks, [BPF_RET_K, 0, 0, SECCOMP_RET_ALLOW], [BPF_RET_K, 0, 0, SECCOMP_RET_ERRNO | EPERM], ...x32Kill];
  if (program.length > 255) throw new Error('seccomp program too long for 8-bit jumps');
  const out = Buffer.alloc(program.length * 8);
  program.forEach(([code, jt, jf, k], i) => {
    out.writeUInt16LE(code, i * 8);
    out.writeUInt8(jt, i * 8 + 2);
    out.writeUInt8(jf, i * 8 + 3);
    out.writeUInt32LE(k >>> 0, i * 8 + 4);
  });
  return out;
}
