// A sandbox job that fails with a user error, or an internal one.
import { inputError } from "../../../src/errors.js";

export default function job(input: { user: boolean }): never {
  console.log("noise that must not reach the report");
  if (input.user) throw inputError("bad handler", { location: { file: "/x/spec.yaml", line: 3, column: 5 }, expected: "an object", hint: "export it" });
  throw new TypeError("boom");
}
