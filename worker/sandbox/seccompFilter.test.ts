import { describe, expect, test } from 'vitest';
import { DENIED_SYSCALLS, seccompProgram } from './seccompFilter';

const ALLOW = 0x7fff0000;
const EPERM = 0x00050001;
const KILL = 0x80000000;
const ARCH = { x64: 0xc000003e, arm64: 0xc00000b7, i386: 0x40000003 };

/** Runs a classic BPF program (the four instructions the filter uses) on seccomp_data {nr, arch}. */
function evaluate(program: Buffer, nr: number, arch: number): number {
  const data = Buffer.alloc(8);
  data.writeInt32LE(nr | 0, 0);
  data.writeUInt32LE(arch >>> 0, 4);
  let acc = 0;
  for (let pc = 0; pc * 8 < program.length; pc++) {
    const code = program.readUInt16LE(pc * 8);
    const jt = program.readUInt8(pc * 8 + 2);
    const jf = program.readUInt8(pc * 8 + 3);
    const k = program.readUInt32LE(pc * 8 + 4);
    if (code === 0x20) acc = data.readUInt32LE(k);
    else if (code === 0x15) pc += acc === k ? jt : jf;
    else if (code === 0x35) pc += acc >= k ? jt : jf;
    else if (code === 0x06) return k;
    else throw new Error(`unexpected instruction ${code.toString(16)} at ${pc}`);
  }
  throw new Error('fell off the end of the program');
}

describe('seccompProgram', () => {
  for (const arch of ['x64', 'arm64'] as const) {
    test(`default (${arch}): every denied call gets EPERM, every other number is allowed`, () => {
      const program = seccompProgram(arch)!;
      const denied = new Set(Object.values(DENIED_SYSCALLS).flatMap((n) => (n[arch] === null ? [] : [n[arch]!])));
      for (let nr = 0; nr < 512; nr++) expect(evaluate(program, nr, ARCH[arch]), `syscall ${nr}`).toBe(denied.has(nr) ? EPERM : ALLOW);
    });

    test(`error (${arch}): another architecture's calls kill the process`, () => {
      const program = seccompProgram(arch)!;
      expect(evaluate(program, 39, arch === 'x64' ? ARCH.arm64 : ARCH.x64)).toBe(KILL);
      expect(evaluate(program, 39, ARCH.i386)).toBe(KILL);
    });
  }

  test('error (x64): x32 calls, numbered from 0x40000000, kill the process', () => {
    const program = seccompProgram('x64')!;
    expect(evaluate(program, 0x40000000 + 39, ARCH.x64)).toBe(KILL);
    expect(evaluate(program, 0x40000000 + 250, ARCH.x64)).toBe(KILL);
  });

  test('behavior: no table, no filter, for other architectures', () => {
    expect(seccompProgram('ia32')).toBeNull();
    expect(seccompProgram('riscv64')).toBeNull();
  });
});
