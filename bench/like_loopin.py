"""Imported first by each reference app: the interpreter runs as in Loopin's servers (the switch
interval of loopin/core/serving.py, passed by bench.py), so a ratio compares the apps, not the tuning."""

import os
import sys

sys.setswitchinterval(float(os.environ["BENCH_SWITCH_INTERVAL"]))
