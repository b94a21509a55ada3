// Reading a spec file: the UTF-8 check against TextDecoder, and the size limit.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_MAX_SPEC_BYTES, firstInvalidUtf8, maxSpecBytes } from "../../src/spec/read.js";

const fatal = new TextDecoder("utf-8", { fatal: true });
const decodes = (bytes: Uint8Array) => {
  try {
    fatal.decode(bytes);
    return true;
  } catch {
    return false;
  }
};

describe("firstInvalidUtf8", () => {
  // Bytes biased towards UTF-8 lead and continuation bytes, so invalid sequences are subtle.
  const bytes = fc.array(fc.oneof(fc.integer({ min: 0, max: 0x7f }), fc.integer({ min: 0x80, max: 0xbf }), fc.integer({ min: 0xc0, max: 0xff })), { maxLength: 24 }).map((a) => Uint8Array.from(a));
  const text = fc.string({ unit: "binary", maxLength: 20 }).map((s) => new TextEncoder().encode(s));

  it("finds nothing in exactly the inputs TextDecoder accepts", () => {
    fc.assert(fc.property(fc.oneof(bytes, text), (b) => (firstInvalidUtf8(b) === b.length) === decodes(b)));
  });

  it("returns an offset before which the bytes are well-formed", () => {
    fc.assert(
      fc.property(bytes, (b) => {
        const i = firstInvalidUtf8(b);
        if (i === b.length) return;
        expect(decodes(b.subarray(0, i))).toBe(true);
        // The sequence starting at i is broken: no prefix that includes byte i decodes.
        for (let j = i + 1; j <= b.length; j++) expect(decodes(b.subarray(0, j))).toBe(false);
      }),
    );
  });
});

describe("maxSpecBytes", () => {
  it("defaults to 16 MB and reads ARCHVERIFY_MAX_SPEC_SIZE", () => {
    expect(maxSpecBytes({})).toBe(DEFAULT_MAX_SPEC_BYTES);
    expect(DEFAULT_MAX_SPEC_BYTES).toBe(16 * 1024 * 1024);
    expect(maxSpecBytes({ ARCHVERIFY_MAX_SPEC_SIZE: "64MB" })).toBe(64 * 1024 * 1024);
    expect(maxSpecBytes({ ARCHVERIFY_MAX_SPEC_SIZE: "500kb" })).toBe(500 * 1024);
    expect(maxSpecBytes({ ARCHVERIFY_MAX_SPEC_SIZE: "1000" })).toBe(1000);
    expect(() => maxSpecBytes({ ARCHVERIFY_MAX_SPEC_SIZE: "lots" })).toThrow(/ARCHVERIFY_MAX_SPEC_SIZE is "lots"/);
  });
});
