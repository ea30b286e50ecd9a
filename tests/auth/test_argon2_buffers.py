"""Argon2id with its working memory kept between hashes: the same hashes argon2-cffi writes and
verifies, one block per running hash, and no page faults once the blocks exist."""

import os
import resource
import sys
import threading

import pytest
from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from argon2.low_level import hash_secret

from loopin.auth import argon2_buffers
from loopin.auth.argon2_buffers import PooledPasswordHasher, pooled_hasher
from loopin.auth.passwords import PasswordService, return_large_buffers_to_the_system

PARAMETER_SETS = [(1, 64, 1), (3, 256, 2), (2, 1024, 4)]  # (time_cost, memory KiB, parallelism)


def library_hasher(time_cost=1, memory_kib=64, parallelism=1):
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism, type=Type.ID)


@pytest.mark.parametrize(("time_cost", "memory_kib", "parallelism"), PARAMETER_SETS)
def test_its_hashes_are_byte_for_byte_the_ones_argon2_cffi_writes(monkeypatch, time_cost, memory_kib, parallelism):
    salt = bytes(range(16))
    pooled = PooledPasswordHasher(library_hasher(time_cost, memory_kib, parallelism), keep=2)
    monkeypatch.setattr(argon2_buffers.os, "urandom", lambda size: salt[:size])
    for password in ["pass123", "correct horse battery", "pässwörd 🔑 " * 20]:
        expected = hash_secret(password.encode(), salt, time_cost, memory_kib, parallelism, 32, Type.ID).decode()
        assert pooled.hash(password) == expected


@pytest.mark.parametrize(("time_cost", "memory_kib", "parallelism"), PARAMETER_SETS)
def test_it_verifies_what_argon2_cffi_wrote_and_argon2_cffi_verifies_what_it_wrote(time_cost, memory_kib, parallelism):
    library = library_hasher(time_cost, memory_kib, parallelism)
    pooled = PooledPasswordHasher(library, keep=2)
    for password in ["pass123", "pässwörd 🔑"]:
        assert pooled.verify(library.hash(password), password) is True
        assert library.verify(pooled.hash(password), password) is True
        with pytest.raises(VerifyMismatchError):
            pooled.verify(library.hash(password), password + "x")


def test_hashes_with_other_parameters_or_the_old_version_still_verify():
    pooled = PooledPasswordHasher(library_hasher(), keep=2)
    older = library_hasher(time_cost=2, memory_kib=128).hash("pass123")  # before a cost change
    version_16 = hash_secret(b"pass123", os.urandom(16), 1, 64, 1, 32, Type.ID, version=16).decode()
    assert "$v=16$" in version_16
    for stored in (older, version_16):
        assert pooled.verify(stored, "pass123") is True
        with pytest.raises(VerifyMismatchError):
            pooled.verify(stored, "pass124")
    assert pooled.check_needs_rehash(older) and not pooled.check_needs_rehash(pooled.hash("pass123"))


def test_a_hash_argon2_could_not_have_written_is_invalid():
    pooled = PooledPasswordHasher(library_hasher(), keep=2)
    good = pooled.hash("pass123")
    salt, digest = good.rsplit("$", 2)[1:]
    mangled = [
        "", "not a hash", good.replace("$argon2id", "$argon2x"), good.rsplit("$", 1)[0],
        good.replace(salt, salt[:-1] + "!"),  # not Base64
        good.replace(digest, digest[:-1] + chr(ord(digest[-1]) + 1)),  # stray low bits: not argon2's encoding
    ]
    for stored in mangled:
        with pytest.raises(InvalidHashError):
            pooled.verify(stored, "pass123")


def test_hashes_from_many_threads_at_once_are_all_right():
    """Blocks are lent and taken back across threads; the buffers Argon2 reads outlive its call."""
    pooled = PooledPasswordHasher(library_hasher(), keep=2)
    library = library_hasher()
    results = []

    def work(n):
        for i in range(15):
            password = f"password {n}-{i}"
            stored = pooled.hash(password)
            results.append(library.verify(stored, password) and pooled.verify(stored, password))
            bytearray(4096)  # churn the small-object allocator between hashes

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [True] * 60
    assert pooled.pool.idle <= 2


def test_a_process_keeps_at_most_one_block_per_hash_allowed_at_once():
    service = PasswordService(time_cost=1, memory_kib=64, parallelism=1, concurrency=2)
    stored = service.hash("a password")
    threads = [threading.Thread(target=service.verify, args=(stored, "a password")) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert 1 <= service.hasher.pool.idle <= 2


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="page-fault counts per thread are Linux's")
def test_a_hash_at_production_cost_reuses_its_memory_instead_of_faulting_it_in_again():
    """With the server's fixed mmap threshold, argon2-cffi's own allocation faults in ~4,900 pages of
    19 MiB at every hash; the pooled block is faulted in once."""
    return_large_buffers_to_the_system()
    library = library_hasher(time_cost=2, memory_kib=19456)
    pooled = PooledPasswordHasher(library, keep=1)
    stored = pooled.hash("pass123")

    def faults_per_hash(hasher):
        before = resource.getrusage(resource.RUSAGE_THREAD).ru_minflt
        for _ in range(3):
            hasher.verify(stored, "pass123")
        return (resource.getrusage(resource.RUSAGE_THREAD).ru_minflt - before) / 3

    assert faults_per_hash(library) > 4000  # what the pool saves: the block's 4,864 pages
    assert faults_per_hash(pooled) < 100


def test_memory_argon2_cannot_have_is_a_failed_login_not_a_crash(monkeypatch):
    service = PasswordService(time_cost=1, memory_kib=64, parallelism=1, concurrency=1)
    stored = service.hash("a password")
    service.hasher.pool = argon2_buffers.BufferPool(keep=1)  # empty: the next hash allocates

    def no_memory(*args):
        raise MemoryError

    monkeypatch.setattr(argon2_buffers, "new_uncleared", no_memory)
    with pytest.raises(VerificationError):
        service.hasher.verify(stored, "a password")
    assert service.verify(stored, "a password") == (False, None)


def test_where_cffi_cannot_make_callbacks_the_library_hashes_alone(monkeypatch):
    def refused(*args, **kwargs):
        raise MemoryError("Cannot allocate write+execute memory for ffi.callback()")

    monkeypatch.setattr(argon2_buffers, "BufferPool", refused)  # where ffi.callback() raises this
    library = library_hasher()
    assert pooled_hasher(library, keep=2) is library


def test_what_argon2_reads_outlives_what_other_threads_allocate_meanwhile(monkeypatch):
    """Argon2 runs without the GIL while other threads allocate: the password and salt it reads must
    still be the ones handed to it (here the allocation happens inside the callback, deterministically)."""
    real_allocate = argon2_buffers.BufferPool._allocate

    def allocate_after_others(pool, memory, size):
        others = [argon2_buffers.ffi.new("uint8_t[]", b"\xff" * n) for n in range(1, 300) for _ in range(4)]
        assert others
        return real_allocate(pool, memory, size)

    monkeypatch.setattr(argon2_buffers.BufferPool, "_allocate", allocate_after_others)
    library = library_hasher()
    pooled = PooledPasswordHasher(library, keep=2)
    for password in ["pass123", "correct horse battery", "x" * 100]:
        assert library.verify(pooled.hash(password), password)
        assert pooled.verify(library.hash(password), password)


def test_a_kept_block_holds_nothing_of_the_last_hash():
    """Argon2 wipes its memory before it frees it, so what the pool keeps is zeros."""
    pooled = PooledPasswordHasher(library_hasher(), keep=1)
    pooled.hash("pass123")
    (block,) = pooled.pool._idle
    assert bytes(argon2_buffers.ffi.buffer(block)) == bytes(64 * 1024)


def test_building_the_hasher_hashes_nothing(monkeypatch):
    """Its parameters are the library hasher's own: no hash at app creation (19 MiB and 20 ms each)."""
    library = library_hasher()
    monkeypatch.setattr(argon2_buffers, "core", lambda *args: pytest.fail("hashed while being built"))
    monkeypatch.setattr(PasswordHasher, "hash", lambda *args: pytest.fail("hashed while being built"))
    pooled = PooledPasswordHasher(library, keep=1)
    assert (pooled.parameters.time_cost, pooled.parameters.memory_cost, pooled.parameters.hash_len) == (1, 64, 32)
