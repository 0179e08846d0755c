#!/usr/bin/env python3
"""Checks the ad-hoc code signature of a 64-bit Mach-O executable, as macOS
on Apple silicon requires one: the kernel kills an arm64 binary whose
signature is missing, or whose page hashes no longer match its bytes (as
after a strip that ran once the linker had signed it).

Usage: macho_signature.py BINARY. Exits 1 with the reason when the signature
is missing or a page hash differs; prints what it checked otherwise.
"""
import hashlib
import struct
import sys

MH_MAGIC_64 = 0xFEEDFACF
LC_CODE_SIGNATURE = 0x1D
CSMAGIC_EMBEDDED_SIGNATURE = 0xFADE0CC0
CSMAGIC_CODEDIRECTORY = 0xFADE0C02
HASHES = {1: hashlib.sha1, 2: hashlib.sha256}


def fail(path, why):
    print("macho_signature: %s: %s" % (path, why), file=sys.stderr)
    sys.exit(1)


def check(path):
    data = open(path, "rb").read()
    magic, _, _, _, ncmds = struct.unpack_from("<IiiII", data, 0)
    if magic != MH_MAGIC_64:
        fail(path, "not a 64-bit Mach-O file")
    offset, signature = 32, None
    for _ in range(ncmds):
        cmd, size = struct.unpack_from("<II", data, offset)
        if cmd == LC_CODE_SIGNATURE:
            signature = struct.unpack_from("<II", data, offset + 8)
        offset += size
    if signature is None:
        fail(path, "no code signature (LC_CODE_SIGNATURE)")
    start, _ = signature
    magic, _, count = struct.unpack_from(">III", data, start)
    if magic != CSMAGIC_EMBEDDED_SIGNATURE:
        fail(path, "the signature is not an embedded signature blob")
    for i in range(count):
        _, blob = struct.unpack_from(">II", data, start + 12 + 8 * i)
        cd = start + blob
        if struct.unpack_from(">I", data, cd)[0] != CSMAGIC_CODEDIRECTORY:
            continue
        (hash_offset, _, _, n_code, code_limit, hash_size, hash_type, _, page_log2) = struct.unpack_from(
            ">IIIIIBBBB", data, cd + 16
        )
        if hash_type not in HASHES:
            fail(path, "unknown hash type %d" % hash_type)
        page = 1 << page_log2
        for slot in range(n_code):
            chunk = data[slot * page : min((slot + 1) * page, code_limit)]
            want = data[cd + hash_offset + slot * hash_size : cd + hash_offset + (slot + 1) * hash_size]
            if HASHES[hash_type](chunk).digest()[:hash_size] != want:
                fail(path, "page %d does not match its signed hash (modified after signing)" % slot)
        print("macho_signature: %s: signed, %d pages match" % (path, n_code))
        return
    fail(path, "the signature has no code directory")


if __name__ == "__main__":
    check(sys.argv[1])
