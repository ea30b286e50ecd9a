"""Argon2id that keeps its working memory between hashes.

Each Argon2id hash works in one block of `memory_cost` KiB (19 MiB by default). argon2-cffi's
`PasswordHasher` lets the C library malloc and free that block at every hash, and because the server
fixes glibc's mmap threshold (so idle workers give the memory back, issue 12) every block is mapped
anew: about 4,900 page faults, a third of a login's CPU. The C library takes allocate/free callbacks
(`argon2_ctx`, exposed by argon2-cffi as `low_level.core`); here they lend blocks from a small pool
that never holds more than one block per hash allowed to run at once, so the peak memory is what it
was and the pages are faulted in once per process.

Only hashes with the configured parameters use the pool; any other Argon2 hash (old parameters, until
its owner's next login replaces it) goes to argon2-cffi unchanged. Argon2 itself wipes the block
before it hands it back (the reference implementation clears its memory on free).
"""

import base64
import hmac
import os
import threading

from argon2 import Parameters, PasswordHasher, extract_parameters
from argon2.exceptions import HashingError, InvalidHashError, VerificationError, VerifyMismatchError
from argon2.low_level import ARGON2_VERSION, core, error_to_str, ffi, lib

# cffi clears what it allocates unless told not to; Argon2 writes every byte of the block before
# reading it, so clearing 19 MiB would only add work.
new_uncleared = ffi.new_allocator(should_clear_after_alloc=False)


class BufferPool:
    """Blocks lent to Argon2 through its allocate/free callbacks. At most `keep` idle blocks stay."""

    def __init__(self, keep):
        self._keep = keep
        self._idle = []
        self._lent = {}  # address -> cffi array: keeps a lent block alive until Argon2 frees it
        self._lock = threading.Lock()
        # The C library calls these from its own thread state; cffi takes the GIL for the call.
        self.allocate = ffi.callback("int(uint8_t **, size_t)", self._allocate)
        self.free = ffi.callback("void(uint8_t *, size_t)", self._free)

    @property
    def idle(self):
        return len(self._idle)

    def _allocate(self, memory, size):
        with self._lock:
            block = next((b for b in self._idle if ffi.sizeof(b) == size), None)
            if block is not None:
                self._idle.remove(block)
        if block is None:
            try:
                block = new_uncleared("uint8_t[]", size)
            except MemoryError:
                return lib.ARGON2_MEMORY_ALLOCATION_ERROR
        memory[0] = block
        with self._lock:
            self._lent[int(ffi.cast("uintptr_t", block))] = block
        return lib.ARGON2_OK

    def _free(self, memory, size):
        with self._lock:
            block = self._lent.pop(int(ffi.cast("uintptr_t", memory)), None)
            if block is not None and len(self._idle) < self._keep:
                self._idle.append(block)


def b64(data):
    """The PHC string format's Base64: standard alphabet, no padding (as argon2's own encoder)."""
    return base64.b64encode(data).decode("ascii").rstrip("=")


def from_b64(text):
    """Inverse of b64(); anything that does not round-trip exactly is not a hash argon2 wrote."""
    try:
        data = base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except ValueError:
        raise InvalidHashError from None
    if b64(data) != text:
        raise InvalidHashError
    return data


class PooledPasswordHasher:
    """`PasswordHasher`'s hash/verify/check_needs_rehash, with the block from a BufferPool."""

    def __init__(self, hasher: PasswordHasher, keep):
        self.library = hasher
        self.parameters = Parameters(
            type=hasher.type, version=ARGON2_VERSION, salt_len=hasher.salt_len, hash_len=hasher.hash_len,
            time_cost=hasher.time_cost, memory_cost=hasher.memory_cost, parallelism=hasher.parallelism)
        self.pool = BufferPool(keep)

    def _raw(self, secret, salt, hash_len, version=ARGON2_VERSION):
        p = self.parameters
        # Each buffer is named: a struct field holds only a pointer, and a cffi array made inline in
        # the initializer would be freed before Argon2 reads it.
        out = ffi.new("uint8_t[]", hash_len)
        pwd = ffi.new("uint8_t[]", secret)
        salt_buffer = ffi.new("uint8_t[]", salt)
        context = ffi.new("argon2_context *", dict(
            out=out, outlen=hash_len, pwd=pwd, pwdlen=len(secret),
            salt=salt_buffer, saltlen=len(salt), secret=ffi.NULL, secretlen=0,
            ad=ffi.NULL, adlen=0, t_cost=p.time_cost, m_cost=p.memory_cost, lanes=p.parallelism,
            threads=p.parallelism, version=version, allocate_cbk=self.pool.allocate,
            free_cbk=self.pool.free, flags=lib.ARGON2_DEFAULT_FLAGS,
        ))
        return core(context, p.type.value), bytes(ffi.buffer(out, hash_len))

    def hash(self, password):
        p = self.parameters
        salt = os.urandom(p.salt_len)
        status, digest = self._raw(password.encode(self.library.encoding), salt, p.hash_len)
        if status != lib.ARGON2_OK:
            raise HashingError(error_to_str(status))
        return (f"$argon2{p.type.name.lower()}$v={ARGON2_VERSION}$m={p.memory_cost},t={p.time_cost},"
                f"p={p.parallelism}${b64(salt)}${b64(digest)}")

    def verify(self, stored_hash, password):
        """True, or raises VerifyMismatchError / VerificationError / InvalidHashError as argon2-cffi does."""
        stored = extract_parameters(stored_hash)
        p = self.parameters
        if (stored.type, stored.time_cost, stored.memory_cost, stored.parallelism) != (
                p.type, p.time_cost, p.memory_cost, p.parallelism):
            return self.library.verify(stored_hash, password)
        salt_text, digest_text = stored_hash.rsplit("$", 2)[1:]
        salt, expected = from_b64(salt_text), from_b64(digest_text)
        status, digest = self._raw(password.encode(self.library.encoding), salt, len(expected), stored.version)
        if status != lib.ARGON2_OK:
            raise VerificationError(error_to_str(status))
        if not hmac.compare_digest(digest, expected):
            raise VerifyMismatchError
        return True

    def check_needs_rehash(self, stored_hash):
        return self.library.check_needs_rehash(stored_hash)


def pooled_hasher(hasher, keep):
    """A PooledPasswordHasher, or `hasher` itself where cffi cannot make callbacks (some hardened
    platforms refuse writable+executable memory): the same hashes, only without the reuse."""
    try:
        return PooledPasswordHasher(hasher, keep)
    except (MemoryError, RuntimeError):
        return hasher
