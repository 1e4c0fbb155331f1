#!/usr/bin/env python3
"""Records the real python3's output of the test script that uses every
multiprocessing name memplay supports, as a JSON fixture:

    python3 scripts/python-script-fixture.py > test/fixtures/python-every-name.json

test/python/run-script.test.ts runs the same script under `memplay run` and
compares its stdout and exit code with this file, so CI does not need python3.
The script's output is the same on every run (it prints no pid or timing).
"""
import json
import os
import platform
import subprocess
import sys

SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'python', 'scripts', 'every-name.py')


def main():
    result = subprocess.run([sys.executable, os.path.normpath(SCRIPT)], capture_output=True, text=True, timeout=60)
    if result.stderr:
        sys.exit(f"the script wrote to stderr:\n{result.stderr}")
    json.dump({
        'python': platform.python_version(),
        'platform': f"{platform.system()} {platform.machine()}",
        'script': 'test/python/scripts/every-name.py',
        'exitCode': result.returncode,
        'stdout': result.stdout,
    }, sys.stdout, indent=2)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()
