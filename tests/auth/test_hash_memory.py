"""What Argon2id's 19 MiB buffers cost the server (glibc only): the memory comes back after a burst of
logins, and a hash does not fault in a fresh buffer each time (passwords.share_one_malloc_arena)."""

import json
import subprocess
import sys

import pytest

# In a fresh interpreter: glibc's malloc state is per process, and this one's is the suite's.
BURST = """
import json, resource, threading
from loopin.auth.passwords import PasswordService, share_one_malloc_arena

share_one_malloc_arena()  # what init_passwords does when the app is created
service = PasswordService(time_cost=1, memory_kib=19456, parallelism=1, concurrency=2)
hashed = service.hash("a password")

def resident_mib():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20

def logins():
    for _ in range(10):
        service.verify(hashed, "a password")

before, faults = resident_mib(), resource.getrusage(resource.RUSAGE_SELF).ru_minflt
threads = [threading.Thread(target=logins) for _ in range(4)]  # waitress's four threads
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults
print(json.dumps({"faults_per_hash": faults / 40, "kept_mib": resident_mib() - before}))
"""
BUFFER_PAGES = 19456 * 1024 // 4096  # 4,864: what a hash faults in when its buffer is new


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's allocator is what is tuned")
def test_a_burst_of_logins_neither_keeps_the_hash_buffers_nor_faults_them_in_each_time():
    result = subprocess.run([sys.executable, "-c", BURST], capture_output=True, encoding="utf-8", check=True)
    measured = json.loads(result.stdout)
    # Each of the four threads' own arena would keep its last buffer (4 x 19 MiB); one arena keeps
    # none once the burst is over.
    assert measured["kept_mib"] < 19
    # A buffer reused, not mapped anew: a few dozen faults per hash, against the 4,864 pages of a new one.
    assert measured["faults_per_hash"] < BUFFER_PAGES / 10
