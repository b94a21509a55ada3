// A sandbox job whose third handler call never returns (a busy loop).
import { guardedCall, serviceIndex } from "../../../src/model/runtime/guard.js";
import type { SandboxJobContext } from "../../../src/model/runtime/sandbox.js";

export default function job(input: { hangAt: number; calls: number }, ctx: SandboxJobContext): number {
  const service = serviceIndex("looper");
  let sum = 0;
  for (let i = 1; i <= input.calls; i++) {
    ctx.post({ progress: i });
    sum += guardedCall(service, { type: "Tick", id: `e${i}` }, () => {
      if (i === input.hangAt) for (;;) {}
      return i;
    });
  }
  return sum;
}
