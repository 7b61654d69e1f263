import os
import sys

from .cli import main

code = main()
# Leave without the interpreter's teardown: freeing a big site's objects one by one takes
# longer than a build's last steps. Everything the build wrote is closed; flush the rest.
sys.stdout.flush()
sys.stderr.flush()
os._exit(code)
