"""terminate.py SCAN ARGS...: starts pitfall-scan, waits until it has a
worker process, sends SIGTERM to the driver alone (as a CI runner that
cancels a job may), and fails unless the worker is gone soon after."""
import os
import signal
import subprocess
import sys
import time


def children(pid):
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry))
    return found


def alive(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


scan = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
deadline = time.time() + 60
workers = []
while not workers and time.time() < deadline and scan.poll() is None:
    time.sleep(0.1)
    workers = children(scan.pid)
if not workers:
    scan.kill()
    sys.exit("terminate.py: pitfall-scan started no worker")
scan.send_signal(signal.SIGTERM)
scan.wait()
deadline = time.time() + 10
while any(alive(w) for w in workers) and time.time() < deadline:
    time.sleep(0.1)
left = [w for w in workers if alive(w)]
for w in left:
    os.kill(w, signal.SIGKILL)
if left:
    sys.exit("terminate.py: worker(s) %s outlived the driver" % left)
print("terminate.py: workers ended with the driver")
