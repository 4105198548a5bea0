"""`python -m bench` (make bench): every benchmark, each on its own throwaway database."""

import subprocess
import sys

if __name__ == "__main__":
    # Separate processes: each benchmark configures Django for its own database.
    for module in ("bench.pages", "bench.digests"):
        print(f"\n== {module}", flush=True)
        subprocess.run([sys.executable, "-m", module], check=True)
